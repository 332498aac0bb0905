package dev.aggregator.support;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** Entity tags for answers (RFC 9110 §8.8.3): a strong tag from the body's hash, and If-None-Match against it. */
public final class ETags {

    private ETags() {
    }

    /** A strong ETag: the first 128 bits of the body's SHA-256, base64url. Equal bodies, equal tags. */
    public static String of(byte[] body) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(body);
            return '"' + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(hash, 16)) + '"';
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Whether an If-None-Match header names this tag, so the answer is 304. Weak comparison, as RFC 9110 asks
     * for If-None-Match: {@code W/"x"} matches {@code "x"}; {@code *} matches any; a list is comma-separated.
     */
    public static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null || etag == null) {
            return false;
        }
        String opaque = opaque(etag);
        int i = 0;
        int n = ifNoneMatch.length();
        while (i < n) {
            char c = ifNoneMatch.charAt(i);
            if (c == ' ' || c == '\t' || c == ',') {
                i++;
            } else if (c == '*') {
                return true;
            } else {
                if (ifNoneMatch.startsWith("W/", i)) {
                    i += 2;
                }
                if (i >= n || ifNoneMatch.charAt(i) != '"') {
                    return false; // not an entity tag: no match, the full answer goes out
                }
                int end = ifNoneMatch.indexOf('"', i + 1);
                if (end < 0) {
                    return false;
                }
                if (ifNoneMatch.regionMatches(i, opaque, 0, opaque.length()) && end + 1 - i == opaque.length()) {
                    return true;
                }
                i = end + 1;
            }
        }
        return false;
    }

    private static String opaque(String etag) {
        return etag.startsWith("W/") ? etag.substring(2) : etag;
    }
}
