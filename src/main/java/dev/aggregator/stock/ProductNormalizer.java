package dev.aggregator.stock;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Maps one queued product envelope, in whatever shape its vendor uses, to our columns, by the
 * contract's aliases: id ← id|sku, name ← title|name, price ← price|cost, stock ← stock|inventory|quantity.
 * Anything that cannot be stored faithfully is rejected with a reason instead of being guessed.
 */
public class ProductNormalizer {

    static final BigDecimal MAX_PRICE = new BigDecimal("999999999999.99");
    static final int MAX_ID = 200;
    static final int MAX_NAME = 1000;
    /**
     * The most characters of a number given as text, and the most digits its plain form may have. Checked
     * before anything formats or rounds it: "1e999999999" is eleven characters whose plain form is a billion
     * digits (toPlainString filled the heap, issue 25), and setScale threw ArithmeticException on "1e-999999999".
     * Every real price and stock fits, a double's exact expansion (0.1000000000000000055511151231257827…) too.
     */
    static final int MAX_DIGITS = 64;
    /** The most characters of a vendor's text that a rejection quotes. */
    static final int QUOTED = 40;

    private final ObjectMapper json;

    public ProductNormalizer(ObjectMapper json) {
        this.json = json;
    }

    /** A product of a batch that cannot be stored: dead-lettered alone, as a one-product envelope, with its reason. */
    public record Rejected(String envelope, String reason) {
    }

    public static final String REJECTED = "rejectedProducts";
    /** Set on a product whose vendor-file mapping failed (MappedCatalog): it is rejected with this reason. */
    public static final String MAPPING_ERROR = "mappingError";
    /** Set on a product the poller could not read as a record (VendorJson: nested too deep): rejected with this reason. */
    public static final String READ_ERROR = "readError";
    public static final String VENDOR = "vendor";
    /**
     * How many rows normalizeBatch made. Set here, not by the route's simple "${body.size()}": that OGNL call
     * looks its bean info up keyed by the body itself, so every message hashed its whole batch, 500 rows with
     * their vendor records, deep (a JFR profile of the sync, issue 26).
     */
    public static final String ROW_COUNT = "rows";

    /**
     * Normalizes a message of one product ("product") or many ("products"). Returns the rows to upsert
     * (one per product id, the last one winning) and leaves the products that cannot be stored in the
     * exchange property REJECTED. A message that is broken as a whole throws InvalidProductException.
     */
    public List<Map<String, Object>> normalizeBatch(byte[] message, org.apache.camel.Exchange exchange) {
        JsonNode envelope = envelope(message);
        // JSON carries a NUL only escaped (a backslash, then u0000): a message without that needs no search for one.
        boolean mayHoldNul = contains(message, NUL_ESCAPE);
        List<Rejected> rejected = new ArrayList<>();
        exchange.setProperty(REJECTED, rejected);
        JsonNode products = envelope.get("products");
        // which poll the message belongs to, and how many of its products it carries (PollProgress)
        exchange.setProperty(PollProgress.FETCHED_AT, text(envelope, "fetchedAt"));
        exchange.setProperty(PollProgress.PRODUCTS, products == null ? 1 : products.size());
        if (products == null) {
            Map<String, Object> row = normalize(envelope, mayHoldNul);
            exchange.setProperty(VENDOR, row.get("vendor"));
            exchange.setProperty(ROW_COUNT, 1);
            return List.of(row);
        }
        if (!products.isArray()) {
            throw new InvalidProductException("products is not an array");
        }
        String vendor = vendor(envelope);
        exchange.setProperty(VENDOR, vendor);
        OffsetDateTime fetchedAt = fetchedAt(envelope);
        String source = text(envelope, "source");
        Map<String, Map<String, Object>> rows = new LinkedHashMap<>();
        for (JsonNode product : products) {
            try {
                Map<String, Object> row = row(vendor, product, fetchedAt, source, mayHoldNul);
                rows.put((String) row.get("productId"), row);
            } catch (RuntimeException e) {
                // Whatever one product throws costs that product alone, never its batch (issue 25: an
                // ArithmeticException lost 10 of 10, and the next poll delisted them). Only a rejected product
                // gets an envelope of its own (copying the whole batch per product would make a batch cost its
                // size squared).
                rejected.add(new Rejected(single(vendor, source, envelope.get("fetchedAt"), product), reason(e)));
            }
        }
        exchange.setProperty(ROW_COUNT, rows.size());
        return new ArrayList<>(rows.values());
    }

    /** Why a product could not be normalized: the rule it broke, or in a few words what was thrown instead. */
    private static String reason(RuntimeException e) {
        if (e instanceof InvalidProductException) {
            return e.getMessage();
        }
        return "product could not be read: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + quoted(e.getMessage()));
    }

    /** A one-product envelope, as the dead-letter queue keeps a rejected product. */
    private String single(String vendor, String source, JsonNode fetchedAt, JsonNode product) {
        com.fasterxml.jackson.databind.node.ObjectNode single = json.createObjectNode();
        single.put("vendor", vendor);
        single.put("source", source);
        single.set("fetchedAt", fetchedAt);
        single.set("product", product);
        return single.toString();
    }

    /**
     * A normalized row PostgreSQL refused (a value no rule here foresaw; its statement named the reason):
     * dead-lettered alone as a one-product envelope, like a product rejected here.
     */
    public Rejected refused(Map<String, Object> row, Throwable refusal) {
        Throwable root = refusal;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage().lines().findFirst().orElse("");
        return new Rejected(single((String) row.get("vendor"), (String) row.get("source"),
                json.getNodeFactory().textNode(((OffsetDateTime) row.get("fetchedAt")).toInstant().toString()), (JsonNode) row.get("raw")),
                "PostgreSQL refused the product: " + quoted(message, 200));
    }

    /**
     * Writes normalized rows as the one JSON array that sql/upsert-products.sql reads with
     * jsonb_to_recordset (keys named as its columns). One statement with one parameter per message:
     * binding eight parameters per product through a JDBC batch was the largest part of the upsert's
     * CPU in the sync profile (bench/results/history.md).
     */
    public String recordset(List<Map<String, Object>> rows) throws IOException {
        StringWriter out = new StringWriter(rows.size() * 256);
        // A message's rows share one fetch time: formatted once, not per row (a quarter of this method's
        // CPU in the sync profile).
        OffsetDateTime formattedAt = null;
        String fetchedAt = null;
        try (JsonGenerator g = json.getFactory().createGenerator(out)) {
            g.writeStartArray();
            for (Map<String, Object> row : rows) {
                OffsetDateTime at = (OffsetDateTime) row.get("fetchedAt");
                if (!at.equals(formattedAt)) {
                    formattedAt = at;
                    fetchedAt = at.toInstant().toString();
                }
                g.writeStartObject();
                g.writeStringField("vendor", (String) row.get("vendor"));
                g.writeStringField("product_id", (String) row.get("productId"));
                g.writeStringField("name", (String) row.get("name"));
                g.writeNumberField("price", (BigDecimal) row.get("price"));
                g.writeNumberField("stock", (Integer) row.get("stock"));
                g.writeFieldName("raw");
                g.writeTree((JsonNode) row.get("raw"));
                g.writeStringField("source", (String) row.get("source"));
                g.writeStringField("fetched_at", fetchedAt);
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        return out.toString();
    }

    /** One row's recordset: a row upserted on its own, after PostgreSQL refused its message's statement. */
    public String recordsetOfOne(Map<String, Object> row) throws IOException {
        return recordset(List.of(row));
    }

    /**
     * One mapped product as it would be stored: {id, name, price, stock}; an InvalidProductException says
     * why it would be dead-lettered instead (the admin preview of a vendor file).
     */
    public static Map<String, Object> check(JsonNode product) {
        readable(product);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("id", id(product));
        row.put("name", name(product));
        row.put("price", price(product));
        row.put("stock", stock(product));
        return row;
    }

    private static final java.util.Set<String> MAPPED_FIELDS = java.util.Set.of("id", "name", "price", "stock", "record");

    /** A product a vendor file's mapping made (MappedCatalog.map): its fields and the record they were read from, nothing else. */
    private static boolean mapped(JsonNode product) {
        if (!product.hasNonNull("record")) {
            return false;
        }
        for (java.util.Iterator<String> names = product.fieldNames(); names.hasNext(); ) {
            if (!MAPPED_FIELDS.contains(names.next())) {
                return false;
            }
        }
        return true;
    }

    /** Returns one product's row: vendor, productId, name, price, stock, raw (the vendor's record), fetchedAt, source. */
    public Map<String, Object> normalize(byte[] message) {
        return normalize(envelope(message), contains(message, NUL_ESCAPE));
    }

    private JsonNode envelope(byte[] message) {
        JsonNode envelope;
        try {
            envelope = json.readTree(message);
        } catch (IOException e) {
            throw new InvalidProductException("message is not JSON: " + firstLine(e));
        }
        if (envelope == null || !envelope.isObject()) {
            throw new InvalidProductException("message is not a JSON object");
        }
        return envelope;
    }

    private static String vendor(JsonNode envelope) {
        String vendor = text(envelope, "vendor");
        if (vendor == null || vendor.isBlank()) {
            throw new InvalidProductException("vendor is missing");
        }
        return vendor;
    }

    private Map<String, Object> normalize(JsonNode envelope, boolean mayHoldNul) {
        return row(vendor(envelope), envelope.get("product"), fetchedAt(envelope), text(envelope, "source"), mayHoldNul);
    }

    /** A product object that neither the poller nor a vendor file's mapping has marked as unreadable. */
    private static void readable(JsonNode product) {
        if (product == null || !product.isObject()) {
            throw new InvalidProductException("product is missing or not an object");
        }
        if (product.hasNonNull(READ_ERROR)) {
            throw new InvalidProductException(quoted(product.get(READ_ERROR).asText(), 200));
        }
        if (product.hasNonNull(MAPPING_ERROR)) {
            throw new InvalidProductException("mapping failed: " + quoted(product.get(MAPPING_ERROR).asText(), 160));
        }
    }

    private Map<String, Object> row(String vendor, JsonNode product, OffsetDateTime fetchedAt, String source, boolean mayHoldNul) {
        readable(product);
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("vendor", vendor);
        row.put("productId", id(product));
        row.put("name", name(product));
        row.put("price", price(product));
        row.put("stock", stock(product));
        if (mayHoldNul) {
            refuseNul(product);
        }
        // The vendor's record as it came: written out once, with the whole batch (recordset). A vendor file's
        // mapping carries the record it read beside the fields it made of it: the record is what came.
        row.put("raw", mapped(product) ? product.get("record") : product);
        row.put("fetchedAt", fetchedAt);
        row.put("source", source);
        return row;
    }

    static String id(JsonNode product) {
        JsonNode id = first(product, "id", "sku");
        if (id == null) {
            throw new InvalidProductException("product has no id or sku");
        }
        String value;
        if (id.isIntegralNumber()) {
            value = id.bigIntegerValue().toString();
        } else if (id.isTextual()) {
            requireNoNul(id.asText(), "id");
            value = id.asText().trim();
        } else {
            throw new InvalidProductException("product id must be a string or an integer, not " + id.getNodeType());
        }
        if (value.isEmpty() || value.length() > MAX_ID) {
            throw new InvalidProductException("product id must be 1 to " + MAX_ID + " characters");
        }
        return value;
    }

    static String name(JsonNode product) {
        JsonNode name = first(product, "title", "name");
        if (name == null || !name.isTextual() || name.asText().isBlank()) {
            throw new InvalidProductException("product has no title or name");
        }
        requireNoNul(name.asText(), "name");
        String value = name.asText().trim();
        return value.length() > MAX_NAME ? value.substring(0, MAX_NAME) : value;
    }

    static BigDecimal price(JsonNode product) {
        JsonNode price = first(product, "price", "cost");
        BigDecimal value = decimal(price, "price");
        // bounded by decimal(): its plain form and the rounding below are at most MAX_DIGITS digits
        if (value.signum() < 0 || value.compareTo(MAX_PRICE) > 0) {
            throw new InvalidProductException("price " + value.toPlainString() + " is out of range");
        }
        return value.setScale(2, java.math.RoundingMode.HALF_UP);
    }

    static int stock(JsonNode product) {
        JsonNode stock = first(product, "stock", "inventory", "quantity");
        BigDecimal value = decimal(stock, "stock");
        if (value.signum() < 0) {
            throw new InvalidProductException("stock " + value.toPlainString() + " is negative");
        }
        try {
            return value.intValueExact();
        } catch (ArithmeticException e) {
            throw new InvalidProductException("stock " + value.toPlainString() + " is not a whole number in range");
        }
    }

    static OffsetDateTime fetchedAt(JsonNode envelope) {
        String raw = text(envelope, "fetchedAt");
        if (raw == null) {
            throw new InvalidProductException("fetchedAt is missing");
        }
        try {
            return Instant.parse(raw).atOffset(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidProductException("fetchedAt '" + quoted(raw) + "' is not an ISO-8601 instant");
        }
    }

    /**
     * The field's number, from a JSON number or a text, no longer than MAX_DIGITS characters and no more
     * than MAX_DIGITS digits written out; a rejection quotes at most QUOTED characters of what was given.
     */
    private static BigDecimal decimal(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            throw new InvalidProductException("product has no " + field);
        }
        // A JSON int, long, float or double is written in at most 25 characters: only a text or a big number
        // can be too long, and only those are written out to be measured (a toString per price and stock cost
        // the sync a tenth of its Java time, issue 26).
        boolean fixedWidth = node.isInt() || node.isLong() || node.isShort() || node.isDouble() || node.isFloat();
        String given = node.isTextual() ? node.asText().trim() : fixedWidth ? null : node.toString();
        if (given != null && given.length() > MAX_DIGITS) {
            throw new InvalidProductException(field + " must be a number of at most " + MAX_DIGITS + " characters, not '" + quoted(given) + "'");
        }
        BigDecimal value;
        try {
            if (node.isNumber()) {
                value = node.decimalValue();
            } else if (node.isTextual()) {
                value = new BigDecimal(given);
            } else {
                throw new NumberFormatException();
            }
        } catch (NumberFormatException e) {
            throw new InvalidProductException(field + " must be a number, not '" + quoted(node.asText()) + "'");
        }
        if (digits(value) > MAX_DIGITS) {
            throw new InvalidProductException(field + " " + (given == null ? node.toString() : given) + " has an exponent out of range (more than " + MAX_DIGITS + " digits written out)");
        }
        return value;
    }

    /** How many digits the value's plain form has (toPlainString's length, less sign and point), computed without it. */
    static long digits(BigDecimal value) {
        long integer = Math.max((long) value.precision() - value.scale(), 1);
        long fraction = Math.max(value.scale(), 0);
        return integer + fraction;
    }

    private static final byte[] NUL_ESCAPE = "\\u0000".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private static boolean contains(byte[] message, byte[] part) {
        outer:
        for (int i = 0; i <= message.length - part.length; i++) {
            for (int j = 0; j < part.length; j++) {
                if (message[i + j] != part[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    private static void requireNoNul(String text, String field) {
        if (text.indexOf('\0') >= 0) {
            throw new InvalidProductException("product " + field + " has a NUL character (\\u0000), which PostgreSQL cannot store");
        }
    }

    /**
     * PostgreSQL's text and jsonb refuse a NUL character anywhere, and the statement that met one lost its whole
     * batch (issue 25): a product with one in its record (a value or a field name, however nested) is rejected,
     * naming the top-level field that holds it.
     */
    private static void refuseNul(JsonNode product) {
        for (Map.Entry<String, JsonNode> field : product.properties()) {
            if (field.getKey().indexOf('\0') >= 0 || holdsNul(field.getValue())) {
                throw new InvalidProductException("product record has a NUL character (\\u0000) in "
                        + (field.getKey().indexOf('\0') >= 0 ? "a field name" : quoted(field.getKey()))
                        + ", which PostgreSQL cannot store");
            }
        }
    }

    private static boolean holdsNul(JsonNode value) {
        java.util.Deque<JsonNode> open = new java.util.ArrayDeque<>();
        open.push(value);
        while (!open.isEmpty()) {
            JsonNode node = open.pop();
            if (node.isTextual() && node.textValue().indexOf('\0') >= 0) {
                return true;
            }
            if (node.isObject()) {
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    if (field.getKey().indexOf('\0') >= 0) {
                        return true;
                    }
                    open.push(field.getValue());
                }
            } else if (node.isArray()) {
                node.forEach(open::push);
            }
        }
        return false;
    }

    /** At most QUOTED characters of a vendor's text, for a rejection's reason. */
    static String quoted(String text) {
        return quoted(text, QUOTED);
    }

    private static String quoted(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "…";
    }

    private static JsonNode first(JsonNode product, String... names) {
        for (String n : names) {
            JsonNode v = product.get(n);
            if (v != null && !v.isNull()) {
                return v;
            }
        }
        return null;
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
