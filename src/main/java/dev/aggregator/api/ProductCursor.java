package dev.aggregator.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.aggregator.support.ProblemException;

/**
 * GET /products?cursor=: where the previous page ended, as the listing's sort key of its last product (vendor,
 * then id; the id's length is derived), so the next page is a range of the products_listing index however deep
 * it starts. Opaque to clients: base64url of the vendor and the id, UTF-8, separated by a NUL (which PostgreSQL
 * text never holds).
 */
public record ProductCursor(String vendor, String productId) {

    /** Longer than any cursor this service writes for ids and names of sane length. */
    static final int MAX_LENGTH = 2048;

    /** Before every product: the start of the listing. */
    public static final ProductCursor START = new ProductCursor("", null);

    public String encode() {
        byte[] v = vendor.getBytes(StandardCharsets.UTF_8);
        byte[] id = productId.getBytes(StandardCharsets.UTF_8);
        byte[] raw = new byte[v.length + 1 + id.length];
        System.arraycopy(v, 0, raw, 0, v.length);
        System.arraycopy(id, 0, raw, v.length + 1, id.length);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    /** The cursor a client sent back; anything this service did not write is a 400 naming the parameter. */
    public static ProductCursor decode(String cursor) {
        if (cursor == null || cursor.isBlank()) {
            return null;
        }
        String c = cursor.trim();
        if (c.length() > MAX_LENGTH) {
            throw bad("is longer than any cursor this service gives out");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(c);
        } catch (IllegalArgumentException e) {
            throw bad("is not a cursor this service gave out (not base64url)");
        }
        int nul = -1;
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == 0) {
                if (nul >= 0) {
                    throw bad("is not a cursor this service gave out");
                }
                nul = i;
            }
        }
        if (nul <= 0 || nul == raw.length - 1) {
            throw bad("is not a cursor this service gave out");
        }
        try {
            var utf8 = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
            String vendor = utf8.decode(ByteBuffer.wrap(raw, 0, nul)).toString();
            String id = utf8.decode(ByteBuffer.wrap(raw, nul + 1, raw.length - nul - 1)).toString();
            return new ProductCursor(vendor, id);
        } catch (CharacterCodingException e) {
            throw bad("is not a cursor this service gave out (not UTF-8)");
        }
    }

    /** The SQL's keyset bound: (vendor, length(product_id), product_id) > (this). */
    int idLength() {
        return productId == null ? -1 : productId.codePointCount(0, productId.length()); // PostgreSQL's length(): characters
    }

    String idOrEmpty() {
        return productId == null ? "" : productId;
    }

    private static ProblemException bad(String what) {
        return ProblemException.badRequest("cursor " + what + "; use the nextCursor of a previous answer");
    }
}
