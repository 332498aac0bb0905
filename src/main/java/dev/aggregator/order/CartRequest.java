package dev.aggregator.order;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;

/**
 * A checked POST /orders body: {"lines":[{"vendor","id","quantity"},…]}, 1 to 100 lines, each checked as a
 * POST /order body is; a bad line is a 400 naming it (lines[2].quantity …). Lines stay in the client's order.
 */
public record CartRequest(List<OrderRequest> lines) {

    public static final int MAX_LINES = 100;
    /** 100 lines of long ids and names fit; POST /order's 16 KiB would not. */
    public static final int MAX_BODY_BYTES = 64 * 1024;

    public static CartRequest parse(byte[] body, ObjectMapper json) {
        JsonNode node = OrderRequest.jsonObject(body, json, MAX_BODY_BYTES, "{\"lines\":[{\"vendor\",\"id\",\"quantity\"},…]}", "lines");
        JsonNode lines = node.get("lines");
        if (lines == null || lines.isNull()) {
            throw ProblemException.badRequest("lines is required: [{\"vendor\",\"id\",\"quantity\"},…]");
        }
        if (!lines.isArray() || lines.isEmpty() || lines.size() > MAX_LINES) {
            throw ProblemException.badRequest("lines must be an array of 1 to " + MAX_LINES + " lines, not "
                    + (lines.isArray() ? lines.size() + " lines" : lines.getNodeType().toString().toLowerCase()));
        }
        List<OrderRequest> parsed = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            JsonNode line = lines.get(i);
            if (!line.isObject()) {
                throw ProblemException.badRequest("lines[" + i + "] must be an object with vendor, id and quantity");
            }
            if (line.has("callbackUrl")) {
                // never accepted and then silently not called: a cart's lines are announced to WEBHOOK_URL only
                throw ProblemException.badRequest("lines[" + i + "].callbackUrl is not taken for a cart's lines;"
                        + " their events go to WEBHOOK_URL");
            }
            try {
                parsed.add(OrderRequest.fromNode(line));
            } catch (ProblemException e) {
                // "lines[2].quantity must be …": the line and the field, as the client wrote them
                throw ProblemException.badRequest("lines[" + i + "]." + e.detail());
            }
        }
        return new CartRequest(List.copyOf(parsed));
    }

    /** What makes two carts "the same" for an Idempotency-Key: every line, in order. */
    public String fingerprint() {
        StringBuilder canonical = new StringBuilder("cart");
        for (OrderRequest line : lines) {
            canonical.append('\u0001').append(line.fingerprint());
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(canonical.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
