package dev.aggregator.stock;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.xml.XmlMapper;
import dev.aggregator.config.VendorApi;
import dev.aggregator.support.Jq;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * A vendor catalogue read as its vendor file describes it (VendorApi): one page decoded from JSON, CSV or
 * XML into a JSON tree, its product records selected and each mapped to our fields by jq, and where the
 * next page is (offset, page number, cursor, Link header, none; "auto" as the default reader does).
 * Plain methods on plain values: the poller route (CatalogReader) keeps the walk's state between pages.
 */
public final class MappedCatalog {

    /** The most pages one poll follows: a vendor whose paging never ends cannot hold a poll forever. */
    static final int MAX_PAGES = 10_000;

    /** Where the walk is: the next page's parameters, or the next page's full URL (Link paging). */
    public static final class Walk {
        int pages;
        long offset;
        long page;
        String cursor;
        String nextUrl;
        Integer pageSize;
        boolean more = true;
        final Set<String> seen = new HashSet<>();

        public boolean more() {
            return more;
        }

        public String nextUrl() {
            return nextUrl;
        }
    }

    /** One decoded page: its records mapped to products (or to a mapping error each). */
    public record Page(List<JsonNode> products) {
    }

    private static final XmlMapper XML = new XmlMapper();

    private final ObjectMapper json;
    private final VendorJson answers;
    private final int defaultPageSize;

    public MappedCatalog(ObjectMapper json, int defaultPageSize) {
        this.json = json;
        this.answers = new VendorJson(json);
        this.defaultPageSize = defaultPageSize;
    }

    public Walk begin(VendorApi api) {
        Walk walk = new Walk();
        walk.page = api.firstPage();
        walk.pageSize = api.pageSize();
        return walk;
    }

    /** The paging parameters of the next request (name → value, in order); none for the first auto page. */
    public Map<String, String> params(VendorApi api, Walk walk) {
        Map<String, String> p = new LinkedHashMap<>();
        int size = walk.pageSize == null ? defaultPageSize : walk.pageSize;
        switch (api.paging()) {
            case OFFSET -> {
                p.put(api.offsetParam(), String.valueOf(walk.offset));
                p.put(api.limitParam(), String.valueOf(size));
            }
            case PAGE -> {
                p.put(api.pageParam(), String.valueOf(walk.page));
                if (api.pageSize() != null) {
                    p.put(api.limitParam(), String.valueOf(size));
                }
            }
            case CURSOR -> {
                if (api.pageSize() != null) {
                    p.put(api.limitParam(), String.valueOf(size));
                }
                if (walk.cursor != null) {
                    p.put(api.cursorParam(), walk.cursor);
                }
            }
            case LINK -> {
                if (walk.nextUrl == null && api.pageSize() != null) {
                    p.put(api.limitParam(), String.valueOf(size));
                }
            }
            case AUTO -> {
                if (walk.pages > 0) {
                    p.put("limit", String.valueOf(size));
                    p.put("skip", String.valueOf(walk.offset));
                }
            }
            case NONE -> {
            }
        }
        return p;
    }

    /**
     * Reads one answer (the body, its Content-Type, a header lookup), maps its records and moves the walk
     * to the next page or ends it. A page that cannot be decoded or whose paging cannot be followed is a
     * VendorAnswerException: the poll fails with that reason, nothing is delisted.
     */
    public Page read(VendorApi api, Walk walk, InputStream body, String contentType, Function<String, String> header, String requestUrl)
            throws IOException {
        return page(api, walk, decode(api, body, contentType), header, requestUrl);
    }

    /** One page already read as a tree: its records mapped, the walk moved on. */
    Page page(VendorApi api, Walk walk, JsonNode answer, Function<String, String> header, String requestUrl) {
        walk.pages++;
        if (answer == null || answer.isMissingNode()) {
            throw new VendorAnswerException("answered no JSON");
        }
        List<JsonNode> records = records(api, answer);
        List<JsonNode> products = new ArrayList<>(records.size());
        for (JsonNode record : records) {
            // a record nested too deep is one product that says so, not mapped (its tree was cut: VendorJson)
            JsonNode checked = answers.checked(record);
            products.add(checked == record ? map(api, record) : checked);
        }
        next(api, walk, answer, records.size(), header, requestUrl);
        if (walk.pages >= MAX_PAGES && walk.more) {
            throw new VendorAnswerException("paged on past " + MAX_PAGES + " pages; stopped");
        }
        return new Page(products);
    }

    /**
     * Whether a JSON answer that is one array can be read record by record as it arrives, never whole: the
     * records are the array's elements (no expression, or ".[]") and nothing pages on. A 25,000-product
     * array read whole as a tree (and its batches built at once) took 20 full GCs in a 128 MB heap where the
     * default reader, which streams, took 5 (bench/results/history.md).
     */
    boolean streams(VendorApi api) {
        return api.format() == VendorApi.Format.JSON && (api.paging() == VendorApi.Paging.NONE || api.paging() == VendorApi.Paging.AUTO)
                && (api.records() == null || api.records().source().replace(" ", "").equals(".[]"));
    }

    /** A streamed one-array answer was read: that was the whole catalogue. */
    void streamed(Walk walk) {
        walk.pages++;
        walk.more = false;
    }

    JsonNode decode(VendorApi api, InputStream body, String contentType) throws IOException {
        if (body == null) {
            throw new VendorAnswerException("answered with no body");
        }
        String type = contentType == null ? "" : contentType.toLowerCase(Locale.ROOT);
        try {
            return switch (api.format()) {
                case JSON -> {
                    if (type.contains("html")) {
                        throw new VendorAnswerException("answered " + contentType.split(";")[0].trim() + ", not JSON");
                    }
                    JsonParser parser = answers.parser(body, contentType);
                    JsonNode tree = parser.nextToken() == null ? null : answers.readTree(parser);
                    parser.close();
                    if (tree == null || tree.isMissingNode()) {
                        throw new VendorAnswerException("answered no JSON");
                    }
                    yield tree;
                }
                case CSV -> csv(api, body, VendorJson.charset(contentType, StandardCharsets.UTF_8));
                case XML -> {
                    if (type.contains("html")) {
                        throw new VendorAnswerException("answered " + contentType.split(";")[0].trim() + ", not XML");
                    }
                    JsonNode tree = XML.readTree(body);
                    yield tree == null ? json.createObjectNode() : tree;
                }
            };
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new VendorAnswerException("answered " + api.format().name() + " that cannot be read: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
    }

    /** A CSV answer as an array of objects keyed by its header row. */
    private ArrayNode csv(VendorApi api, InputStream body, Charset charset) throws IOException {
        CSVFormat format = CSVFormat.RFC4180.builder().setDelimiter(api.csvDelimiter()).setHeader().setSkipHeaderRecord(true)
                .setIgnoreSurroundingSpaces(true).setIgnoreEmptyLines(true).get();
        ArrayNode rows = json.createArrayNode();
        try (Reader reader = new InputStreamReader(body, charset); CSVParser parser = CSVParser.parse(reader, format)) {
            List<String> names = parser.getHeaderNames();
            for (CSVRecord record : parser) {
                ObjectNode row = rows.addObject();
                for (int i = 0; i < names.size() && i < record.size(); i++) {
                    row.put(names.get(i), record.get(i));
                }
            }
        } catch (IllegalArgumentException | IllegalStateException | java.io.UncheckedIOException e) {
            throw new VendorAnswerException("answered CSV that cannot be read: " + e.getMessage());
        }
        return rows;
    }

    /** The page's records: the records expression, or what the default reader takes (an array, or "products"). */
    List<JsonNode> records(VendorApi api, JsonNode answer) {
        if (api.records() != null) {
            try {
                return api.records().all(answer);
            } catch (IllegalArgumentException e) {
                throw new VendorAnswerException("records expression failed on the answer: " + e.getMessage());
            }
        }
        JsonNode array = answer.isArray() ? answer : answer.path("products");
        if (!array.isArray()) {
            throw new VendorAnswerException("answered no records: set 'records' (a jq expression such as .items[])");
        }
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }

    /**
     * One record as a product: each of our fields from its expression, or from the contract's aliases where
     * the file gives none; the vendor's record kept beside them. A field whose expression fails makes the
     * product carry mappingError, and the normalizer dead-letters that product alone with it.
     */
    JsonNode map(VendorApi api, JsonNode record) {
        if (!api.mapsFields()) {
            return record;
        }
        ObjectNode product = json.createObjectNode();
        StringBuilder errors = new StringBuilder();
        field(product, "id", api.id(), record, errors, "id", "sku");
        field(product, "name", api.name(), record, errors, "title", "name");
        field(product, "price", api.price(), record, errors, "price", "cost");
        field(product, "stock", api.stock(), record, errors, "stock", "inventory", "quantity");
        if (errors.length() > 0) {
            product.put(ProductNormalizer.MAPPING_ERROR, errors.toString());
        }
        product.set("record", record);
        return product;
    }

    private static void field(ObjectNode product, String name, Jq expression, JsonNode record, StringBuilder errors, String... aliases) {
        JsonNode value = null;
        if (expression != null) {
            try {
                value = expression.first(record);
            } catch (IllegalArgumentException e) {
                errors.append(errors.length() == 0 ? "" : "; ").append(name).append(": ").append(e.getMessage());
                return;
            }
        } else if (record.isObject()) {
            for (String alias : aliases) {
                JsonNode v = record.get(alias);
                if (v != null && !v.isNull()) {
                    value = v;
                    break;
                }
            }
        }
        if (value != null) {
            product.set(name, value);
        }
    }

    /** Moves the walk on from this answer, or ends it. */
    private void next(VendorApi api, Walk walk, JsonNode answer, int records, Function<String, String> header, String requestUrl) {
        int size = walk.pageSize == null ? defaultPageSize : walk.pageSize;
        switch (api.paging()) {
            case NONE -> walk.more = false;
            case OFFSET -> {
                walk.offset += records;
                walk.more = records > 0 && records >= size;
            }
            case PAGE -> {
                Long total = totalPages(api, answer, header);
                boolean full = api.pageSize() == null || records >= size;
                walk.more = records > 0 && full && (total == null || walk.page - api.firstPage() + 1 < total);
                walk.page++;
            }
            case CURSOR -> {
                String cursor = cursor(api, answer, header);
                // the same cursor twice would read the same page forever
                walk.more = cursor != null && records > 0 && walk.seen.add(cursor);
                walk.cursor = cursor;
            }
            case LINK -> {
                String next = LinkHeader.next(header.apply("Link"));
                if (next == null) {
                    walk.more = false;
                    return;
                }
                URI base = URI.create(walk.nextUrl != null ? walk.nextUrl : requestUrl);
                URI target = base.resolve(next);
                if (!sameOrigin(base, target)) {
                    throw new VendorAnswerException("Link rel=\"next\" points to another host (" + target.getScheme() + "://"
                            + target.getHost() + "): not followed");
                }
                walk.more = walk.seen.add(target.toString());
                walk.nextUrl = target.toString();
            }
            case AUTO -> {
                // DummyJSON's shape goes on by limit/skip; anything else was the whole catalogue
                JsonNode total = answer.path("total");
                if (answer.isObject() && answer.path("products").isArray() && total.canConvertToLong()) {
                    long skip = answer.path("skip").canConvertToLong() ? answer.path("skip").asLong() : walk.offset;
                    long next = skip + answer.path("products").size();
                    walk.more = answer.path("products").size() > 0 && next > walk.offset && next < total.asLong();
                    walk.offset = next;
                    if (walk.pageSize == null) {
                        walk.pageSize = Math.max(defaultPageSize, answer.path("limit").asInt(0));
                    }
                } else {
                    walk.more = false;
                }
            }
        }
    }

    private static Long totalPages(VendorApi api, JsonNode answer, Function<String, String> header) {
        String raw = null;
        if (api.totalPagesHeader() != null) {
            raw = header.apply(api.totalPagesHeader());
        } else if (api.totalPagesField() != null) {
            JsonNode v = api.totalPagesField().first(answer);
            raw = v == null ? null : v.asText();
        }
        if (raw == null || raw.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(raw.trim());
        } catch (NumberFormatException e) {
            throw new VendorAnswerException("total pages '" + raw + "' is not a number");
        }
    }

    private static String cursor(VendorApi api, JsonNode answer, Function<String, String> header) {
        String cursor;
        if (api.cursorField() != null) {
            JsonNode v = api.cursorField().first(answer);
            cursor = v == null ? null : v.asText();
        } else {
            cursor = header.apply(api.cursorHeader());
        }
        return cursor == null || cursor.isBlank() ? null : cursor;
    }

    private static boolean sameOrigin(URI a, URI b) {
        return a.getScheme() != null && a.getScheme().equalsIgnoreCase(b.getScheme()) && a.getHost() != null
                && a.getHost().equalsIgnoreCase(b.getHost()) && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() >= 0 ? u.getPort() : "https".equalsIgnoreCase(u.getScheme()) ? 443 : 80;
    }
}
