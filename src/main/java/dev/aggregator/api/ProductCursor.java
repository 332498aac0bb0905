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
 * <p>
 * A page of a search, a filter or another sort (issue 26) adds three parts: the sort's name, the last product's
 * value of the sort key (price, name, updatedAt in microseconds; empty for the default order) and a tag of the
 * filters it was asked with, so that a cursor used with another sort or other filters is refused, not
 * misread. Default listings keep the two-part form, which clients and the bench already hold.
 */
public record ProductCursor(String vendor, String productId, String sort, String key, String filters) {

    /** A cursor of the default listing (no filter, the default order). */
    public ProductCursor(String vendor, String productId) {
        this(vendor, productId, null, null, null);
    }

    /** Whether this cursor continues a search, filtered or sorted listing rather than the default one. */
    public boolean searched() {
        return sort != null;
    }

    /** Longer than any cursor this service writes for ids and names of sane length. */
    static final int MAX_LENGTH = 2048;

    /** Before every product: the start of the listing. */
    public static final ProductCursor START = new ProductCursor("", null);

    public String encode() {
        String text = searched() ? String.join("\0", vendor, productId, sort, key, filters) : vendor + '\0' + productId;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
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
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw bad("is not a cursor this service gave out (not UTF-8)");
        }
        String[] parts = text.split("\0", -1);
        if ((parts.length != 2 && parts.length != 5) || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw bad("is not a cursor this service gave out");
        }
        if (parts.length == 2) {
            return new ProductCursor(parts[0], parts[1]);
        }
        if (parts[2].isEmpty() || parts[4].isEmpty()) {
            throw bad("is not a cursor this service gave out");
        }
        return new ProductCursor(parts[0], parts[1], parts[2], parts[3], parts[4]);
    }

    /** The SQL's keyset bound: (vendor, length(product_id), product_id) > (this). */
    int idLength() {
        return productId == null ? -1 : productId.codePointCount(0, productId.length()); // PostgreSQL's length(): characters
    }

    String idOrEmpty() {
        return productId == null ? "" : productId;
    }

    static ProblemException bad(String what) {
        return ProblemException.badRequest("cursor " + what + "; use the nextCursor of a previous answer");
    }
}
