package dev.aggregator.api;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.aggregator.support.ProblemException;

/**
 * GET /products?updatedSince=: where a client of the changes feed stands, as the feed's sort key (the changing
 * transaction's id, then vendor and product id) of the last change it was given, or the start of a transaction
 * id ({@link #start}: before every change that transaction or a later one makes). {@code scope} is the vendor
 * the feed was asked for ("" for every vendor): a position in one vendor's changes says nothing about the
 * others', so a cursor is only taken back for the scope it was written for.
 * <p>
 * Opaque to clients: base64url of a version byte (1, so every cursor starts with "A" and never looks like an
 * instant), the transaction id (8 bytes, big-endian), then scope, vendor and id in UTF-8 separated by NULs
 * (which PostgreSQL text never holds).
 */
public record ChangeCursor(String scope, long xid, String vendor, String productId) {

    static final int MAX_LENGTH = 2048;
    private static final byte VERSION = 1;

    /** Before every change of transaction {@code xid} and later ones. */
    public static ChangeCursor start(String scope, long xid) {
        return new ChangeCursor(scope, xid, "", "");
    }

    public boolean isStart() {
        return vendor.isEmpty();
    }

    public String encode() {
        ByteArrayOutputStream raw = new ByteArrayOutputStream(16 + scope.length() + vendor.length() + productId.length());
        raw.write(VERSION);
        raw.writeBytes(ByteBuffer.allocate(Long.BYTES).putLong(xid).array());
        raw.writeBytes(scope.getBytes(StandardCharsets.UTF_8));
        raw.write(0);
        raw.writeBytes(vendor.getBytes(StandardCharsets.UTF_8));
        raw.write(0);
        raw.writeBytes(productId.getBytes(StandardCharsets.UTF_8));
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.toByteArray());
    }

    /** A cursor this service wrote; anything else is a 400 naming updatedSince. */
    public static ChangeCursor decode(String cursor) {
        String c = cursor.trim();
        if (c.length() > MAX_LENGTH) {
            throw bad("is longer than any cursor this service gives out");
        }
        byte[] raw;
        try {
            raw = Base64.getUrlDecoder().decode(c);
        } catch (IllegalArgumentException e) {
            throw bad("is neither an instant nor a cursor this service gave out");
        }
        if (raw.length < 1 + Long.BYTES + 2 || raw[0] != VERSION) {
            throw bad("is not a cursor this service gave out");
        }
        long xid = ByteBuffer.wrap(raw, 1, Long.BYTES).getLong();
        int first = indexOfNul(raw, 1 + Long.BYTES);
        int second = first < 0 ? -1 : indexOfNul(raw, first + 1);
        if (xid < 0 || second < 0 || indexOfNul(raw, second + 1) >= 0) {
            throw bad("is not a cursor this service gave out");
        }
        ChangeCursor decoded = new ChangeCursor(utf8(raw, 1 + Long.BYTES, first), xid,
                utf8(raw, first + 1, second), utf8(raw, second + 1, raw.length));
        if (decoded.vendor.isEmpty() != decoded.productId.isEmpty()) {
            throw bad("is not a cursor this service gave out");
        }
        return decoded;
    }

    private static int indexOfNul(byte[] raw, int from) {
        for (int i = from; i < raw.length; i++) {
            if (raw[i] == 0) {
                return i;
            }
        }
        return -1;
    }

    private static String utf8(byte[] raw, int from, int to) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw, from, to - from)).toString();
        } catch (CharacterCodingException e) {
            throw bad("is not a cursor this service gave out (not UTF-8)");
        }
    }

    private static ProblemException bad(String what) {
        return ProblemException.badRequest("updatedSince " + what
                + "; use the nextCursor of a previous answer, or an instant such as 2026-12-02T10:00:00Z");
    }
}
