package testvendors;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.sun.net.httpserver.HttpExchange;

/**
 * What the outside test vendors (JDK HTTP servers, run as their own processes, so JDK classes only) share:
 * the query, a JSON answer, a tiny JSON reader for order bodies, escaping, and the deterministic catalogue data.
 */
final class VendorHttp {

    /** An HTTP-date (IMF-fixdate, RFC 9110 5.6.7), e.g. "Sun, 06 Nov 1994 08:49:37 GMT". */
    static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private VendorHttp() {
    }

    /** An answer to send: status, Content-Type (null: none), body, extra headers (added, so a name may repeat). */
    record Reply(int status, String contentType, byte[] body, Map<String, String> headers) {

        static Reply of(int status, String contentType, String body) {
            return new Reply(status, contentType, body.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Reply json(int status, String body) {
            return of(status, "application/json; charset=utf-8", body);
        }

        static Reply xml(int status, String body) {
            return of(status, "application/xml; charset=utf-8", body);
        }

        Reply with(String header, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(header, value);
            return new Reply(status, contentType, body, h);
        }
    }

    /** Thrown by a handler to answer this status (e.g. 415, or 400 for a bad query). */
    static final class Refused extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final int status;

        Refused(int status, String message) {
            super(message);
            this.status = status;
        }
    }

    /** The request's query parameters, raw (not decoded), in order; a name without '=' has the value "". */
    static Map<String, String> query(URI uri) {
        Map<String, String> m = new LinkedHashMap<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                String[] kv = pair.split("=", 2);
                m.put(kv[0], kv.length > 1 ? kv[1] : "");
            }
        }
        return m;
    }

    /** A whole-number query parameter within [min, max], or the default when absent; else Refused(400). */
    static int intParam(Map<String, String> q, String name, int dflt, int min, int max) {
        String v = q.get(name);
        try {
            int n = v == null ? dflt : Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new Refused(400, "invalid parameter " + name + ": must be " + min + ".." + max);
    }

    /** Answers with a JSON body (Content-Type application/json, as CountingVendor and ChaosVendor always sent). */
    static void json(HttpExchange x, int status, String body) throws IOException {
        send(x, Reply.of(status, "application/json", body));
    }

    static void send(HttpExchange x, Reply r) throws IOException {
        r.headers().forEach((k, v) -> x.getResponseHeaders().add(k, v));
        if (r.contentType() != null) {
            x.getResponseHeaders().set("Content-Type", r.contentType());
        }
        byte[] b = r.body();
        x.sendResponseHeaders(r.status(), b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        }
    }

    // ---- the catalogues' data: product i (1..N) of a vendor, deterministic ----

    /** Product i's name; the awkward ones: a comma, double quotes and a backslash, non-ASCII (an emoji too), ';' '/' '½', '&' and '<'. */
    static String name(String noun, int i) {
        return switch (i % 6) {
            case 0 -> noun + " " + i + ", blue";
            case 1 -> noun + " " + i + " \"Deluxe\" 3\\4";
            case 2 -> "Crème brûlée " + i + " – 🍮";
            case 3 -> noun + " " + i + "; ½ kg / \"bag\", red";
            case 4 -> "Salt & Pepper <" + i + "> " + noun;
            default -> noun + " " + i;
        };
    }

    /** A price in cents; every tenth product's is whole (e.g. 12.00). */
    static int cents(int i, int salt) {
        int c = 99 + (i * 1237 + salt * 311) % 25_000;
        return i % 10 == 0 ? c / 100 * 100 : c;
    }

    /** A stock level, 0..22 (some zero). */
    static int stock(int i, int salt) {
        return (i * 7 + salt) % 23;
    }

    static BigDecimal price(int cents) {
        return BigDecimal.valueOf(cents, 2);
    }

    // ---- escaping ----

    /** A JSON string literal; phpStyle: non-ASCII as \\uXXXX and '/' as "\/", as PHP's json_encode writes them. */
    static String quote(String s, boolean phpStyle) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '/' -> b.append(phpStyle ? "\\/" : "/");
                default -> {
                    if (c < 0x20 || (phpStyle && c > 0x7e)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    static String quote(String s) {
        return quote(s, false);
    }

    /** XML text (attribute: also '"'). */
    static String xml(String s, boolean attribute) {
        String t = s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
        return attribute ? t.replace("\"", "&quot;") : t;
    }

    // ---- a small JSON reader for order bodies (the vendors run without Jackson) ----

    /** The body as a JSON object; Refused(415) unless the Content-Type says JSON; IllegalArgumentException if malformed. */
    static Map<String, Object> jsonBody(HttpExchange x, String body) {
        String type = x.getRequestHeaders().getFirst("Content-Type");
        if (type == null || !type.toLowerCase(Locale.ROOT).contains("json")) {
            throw new Refused(415, "Content-Type must be application/json, was " + type);
        }
        Object v;
        try {
            int[] at = {0};
            v = read(body, at);
            if (skip(body, at) < body.length()) {
                throw new IllegalArgumentException("trailing characters");
            }
        } catch (IndexOutOfBoundsException | NumberFormatException | ClassCastException e) {
            throw new IllegalArgumentException("malformed JSON");
        }
        return object(v, "body");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(Object v, String what) {
        if (v instanceof Map<?, ?> m) {
            return (Map<String, Object>) m;
        }
        throw new IllegalArgumentException(what + " must be an object");
    }

    /** A non-empty JSON array. */
    @SuppressWarnings("unchecked")
    static List<Object> list(Object v, String what) {
        if (v instanceof List<?> l && !l.isEmpty()) {
            return (List<Object>) l;
        }
        throw new IllegalArgumentException(what + " must be a non-empty array");
    }

    /** A JSON number without a fraction (a string "12" is refused: the vendor wants a number). */
    static long whole(Object v, String what) {
        if (v instanceof BigDecimal d) {
            try {
                return d.longValueExact();
            } catch (ArithmeticException e) {
                // below
            }
        }
        throw new IllegalArgumentException(what + " must be a whole number, was " + v);
    }

    static int positive(Object v, String what) {
        long n = whole(v, what);
        if (n < 1 || n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(what + " must be positive");
        }
        return (int) n;
    }

    /** A non-blank JSON string. */
    static String text(Object v, String what) {
        if (v instanceof String s && !s.isBlank()) {
            return s;
        }
        throw new IllegalArgumentException(what + " must be a non-empty string");
    }

    private static int skip(String s, int[] at) {
        while (at[0] < s.length() && Character.isWhitespace(s.charAt(at[0]))) {
            at[0]++;
        }
        return at[0];
    }

    private static Object read(String s, int[] at) {
        char c = s.charAt(skip(s, at));
        if (c == '{') {
            Map<String, Object> m = new LinkedHashMap<>();
            at[0]++;
            while (s.charAt(skip(s, at)) != '}') {
                String key = (String) read(s, at);
                expect(s, at, ':');
                m.put(key, read(s, at));
                if (s.charAt(skip(s, at)) == ',') {
                    at[0]++;
                } else if (s.charAt(at[0]) != '}') {
                    throw new IllegalArgumentException("malformed JSON object");
                }
            }
            at[0]++;
            return m;
        }
        if (c == '[') {
            List<Object> l = new ArrayList<>();
            at[0]++;
            while (s.charAt(skip(s, at)) != ']') {
                l.add(read(s, at));
                if (s.charAt(skip(s, at)) == ',') {
                    at[0]++;
                } else if (s.charAt(at[0]) != ']') {
                    throw new IllegalArgumentException("malformed JSON array");
                }
            }
            at[0]++;
            return l;
        }
        if (c == '"') {
            StringBuilder b = new StringBuilder();
            for (at[0]++; s.charAt(at[0]) != '"'; at[0]++) {
                char d = s.charAt(at[0]);
                if (d == '\\') {
                    char e = s.charAt(++at[0]);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> {
                            b.append((char) Integer.parseInt(s.substring(at[0] + 1, at[0] + 5), 16));
                            at[0] += 4;
                        }
                        default -> b.append(e);
                    }
                } else {
                    b.append(d);
                }
            }
            at[0]++;
            return b.toString();
        }
        int start = at[0];
        while (at[0] < s.length() && "{}[],: \t\r\n".indexOf(s.charAt(at[0])) < 0) {
            at[0]++;
        }
        String word = s.substring(start, at[0]);
        return switch (word) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> new BigDecimal(word);
        };
    }

    private static void expect(String s, int[] at, char c) {
        if (s.charAt(skip(s, at)) != c) {
            throw new IllegalArgumentException("malformed JSON: expected " + c);
        }
        at[0]++;
    }
}
