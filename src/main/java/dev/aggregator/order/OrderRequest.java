package dev.aggregator.order;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;

/**
 * A checked POST /order body: {"id","vendor","quantity"} with optional "name" and "price", as the seed's
 * curl example sends it. Every field is checked for type and range; nothing is coerced silently.
 */
public record OrderRequest(String vendor, String productId, int quantity, String name, BigDecimal price, String callbackUrl) {

    /** An order without its own webhook receiver. */
    public OrderRequest(String vendor, String productId, int quantity, String name, BigDecimal price) {
        this(vendor, productId, quantity, name, price, null);
    }

    public static final int MAX_QUANTITY = 10_000;
    public static final int MAX_BODY_BYTES = 16 * 1024;
    static final int MAX_TEXT = 200;

    public static OrderRequest parse(byte[] body, ObjectMapper json) {
        return fromNode(jsonObject(body, json, MAX_BODY_BYTES, "{\"id\",\"vendor\",\"quantity\"}", "id, vendor and quantity"));
    }

    /**
     * A request body read as one JSON object (POST /order, POST /orders): present, within maxBytes (413), valid
     * JSON, an object; otherwise a problem naming what is wrong. shape and fields say what the body should be.
     */
    static JsonNode jsonObject(byte[] body, ObjectMapper json, int maxBytes, String shape, String fields) {
        if (body == null || body.length == 0) {
            throw ProblemException.badRequest("body is required: " + shape);
        }
        if (body.length > maxBytes) {
            throw new ProblemException(413, "Content Too Large", "body is " + body.length + " bytes; at most " + maxBytes + " are accepted");
        }
        JsonNode node;
        try {
            node = json.readTree(body);
        } catch (IOException e) {
            throw ProblemException.badRequest("body is not valid JSON");
        }
        if (node == null || !node.isObject()) {
            throw ProblemException.badRequest("body must be a JSON object with " + fields);
        }
        return node;
    }

    /** The fields of one order object (a POST /order body, or one line of a cart), each checked. */
    static OrderRequest fromNode(JsonNode node) {
        return new OrderRequest(vendor(node), productId(node), quantity(node), name(node), price(node), callbackUrl(node));
    }

    /** Its shape only; whether its host is allowed is OrderIntake's check (WEBHOOK_ALLOWED_HOSTS). */
    private static String callbackUrl(JsonNode node) {
        JsonNode u = node.get("callbackUrl");
        if (u == null || u.isNull()) {
            return null;
        }
        if (!u.isTextual()) {
            throw ProblemException.badRequest("callbackUrl must be a string (an http(s) URL)");
        }
        requireNoNul(u.asText(), "callbackUrl");
        return u.asText().trim();
    }

    private static String vendor(JsonNode node) {
        JsonNode v = node.get("vendor");
        if (v == null || v.isNull()) {
            throw ProblemException.badRequest("vendor is required");
        }
        if (!v.isTextual() || v.asText().isBlank() || v.asText().length() > MAX_TEXT) {
            throw ProblemException.badRequest("vendor must be a non-empty string of at most " + MAX_TEXT + " characters");
        }
        requireNoNul(v.asText(), "vendor");
        return v.asText().trim();
    }

    private static String productId(JsonNode node) {
        JsonNode id = node.get("id");
        if (id == null || id.isNull()) {
            throw ProblemException.badRequest("id (the vendor's product id) is required");
        }
        if (id.isIntegralNumber()) {
            return id.bigIntegerValue().toString();
        }
        if (id.isTextual() && !id.asText().isBlank() && id.asText().length() <= MAX_TEXT) {
            requireNoNul(id.asText(), "id");
            return id.asText().trim();
        }
        throw ProblemException.badRequest("id must be an integer or a non-empty string");
    }

    private static int quantity(JsonNode node) {
        JsonNode q = node.get("quantity");
        if (q == null || q.isNull()) {
            throw ProblemException.badRequest("quantity is required");
        }
        if (!q.isIntegralNumber()) {
            throw ProblemException.badRequest("quantity must be a whole number, not " + q);
        }
        if (!q.canConvertToInt() || q.intValue() < 1 || q.intValue() > MAX_QUANTITY) {
            throw ProblemException.badRequest("quantity must be between 1 and " + MAX_QUANTITY + ", not " + q);
        }
        return q.intValue();
    }

    private static String name(JsonNode node) {
        JsonNode n = node.get("name");
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isTextual() || n.asText().length() > 1000) {
            throw ProblemException.badRequest("name must be a string of at most 1000 characters");
        }
        requireNoNul(n.asText(), "name");
        return n.asText();
    }

    private static BigDecimal price(JsonNode node) {
        JsonNode p = node.get("price");
        if (p == null || p.isNull()) {
            return null;
        }
        // Jackson reads a float too large for a double (1e999) as Infinity, which has no decimal value
        if (!p.isNumber() || p.isFloatingPointNumber() && !Double.isFinite(p.doubleValue())) {
            throw ProblemException.badRequest("price must be a finite, non-negative number of at most 999999999999");
        }
        if (p.decimalValue().signum() < 0 || p.decimalValue().compareTo(new BigDecimal("999999999999")) > 0) {
            throw ProblemException.badRequest("price must be a non-negative number");
        }
        return p.decimalValue();
    }

    /**
     * PostgreSQL's text refuses a NUL character: the order's statement failed with a 500. A NUL at either end
     * was trimmed away like a space, the order taken for what was left; refused as well, to coerce nothing.
     */
    private static void requireNoNul(String text, String field) {
        if (text.indexOf('\0') >= 0) {
            throw ProblemException.badRequest(field + " must not contain a NUL character (\\u0000)");
        }
    }

    /** What makes two requests "the same" for an Idempotency-Key: every field the client sent. */
    public String fingerprint() {
        String canonical = vendor + "\u0000" + productId + "\u0000" + quantity + "\u0000" + name + "\u0000"
                + (price == null ? "null" : price.stripTrailingZeros().toPlainString())
                // only when given, so the fingerprints of orders stored before callbackUrl existed stay the same
                + (callbackUrl == null ? "" : "\u0000" + callbackUrl);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
