package dev.aggregator.vendor;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import dev.aggregator.config.VendorConfig;

/**
 * How to reach one vendor: where its pages and order PUTs go, the headers that carry its credentials, and
 * how to tell about it without giving its secrets away.
 *
 * The configured URL may hold user:password (HTTP Basic) and a query string (often an API key). Neither
 * goes into an endpoint URI, a log line, an answer or a dead letter: requests get the bare URL and the
 * query as a header, and every text that may quote the vendor (an error, its answer's body) passes
 * {@link #redact}. Secrets are the token, the password, every extra header's value and every value in the
 * URL's query string (we cannot tell an API key from a filter, so none is shown).
 */
public final class VendorAccess {

    /** What a secret becomes in text. */
    public static final String HIDDEN = "***";
    /** The paging parameters we set ourselves; the URL's own values for them are replaced. */
    private static final Set<String> PAGING = Set.of("limit", "skip");

    private final String base;
    private final List<String[]> query;
    private final Map<String, String> headers;
    private final List<String> secrets;
    private final dev.aggregator.config.VendorApi api;

    private VendorAccess(String base, List<String[]> query, Map<String, String> headers, List<String> secrets,
                         dev.aggregator.config.VendorApi api) {
        this.base = base;
        this.query = query;
        this.headers = headers;
        this.secrets = secrets;
        this.api = api;
    }

    /** How the vendor's API looks (its file's settings; the default reading for the others). */
    public dev.aggregator.config.VendorApi api() {
        return api;
    }

    public static VendorAccess of(VendorConfig vendor) {
        URI uri = URI.create(vendor.url().trim());
        String base = uri.getScheme() + "://" + uri.getRawAuthority().substring(uri.getRawAuthority().indexOf('@') + 1)
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
        List<String> secrets = new ArrayList<>();
        Map<String, String> headers = new LinkedHashMap<>();
        if (uri.getRawUserInfo() != null) {
            String user = decode(uri.getRawUserInfo().split(":", 2)[0]);
            String password = uri.getRawUserInfo().contains(":") ? decode(uri.getRawUserInfo().split(":", 2)[1]) : "";
            String basic = Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
            headers.put("Authorization", "Basic " + basic);
            secrets.add(basic);
            secrets.add(password);
            secrets.add(uri.getRawUserInfo());
        }
        if (vendor.token() != null) {
            headers.put("Authorization", "Bearer " + vendor.token()); // a token wins over user:password
            secrets.add(vendor.token());
        }
        vendor.headers().forEach((name, value) -> {
            headers.put(name, value);
            secrets.add(value);
        });
        List<String[]> query = new ArrayList<>();
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                String[] kv = pair.split("=", 2);
                String value = kv.length > 1 ? kv[1] : "";
                query.add(new String[] {kv[0], value});
                secrets.add(value);
                secrets.add(decode(value));
            }
        }
        // Longest first, so a secret that contains another is hidden whole; blanks and 1-2 characters are
        // not secrets worth garbling every text for.
        secrets.removeIf(s -> s == null || s.length() < 3);
        secrets.sort(Comparator.comparingInt(String::length).reversed());
        return new VendorAccess(base, List.copyOf(query), Map.copyOf(headers), List.copyOf(secrets), vendor.api());
    }

    /**
     * What a conditional poll's validators belong to (issue 25): a hash of the URL (query included), the
     * credentials and headers, and the reading (the file's API settings). Another URL, other credentials or
     * another mapping never get this vendor's ETag: a 304 would keep the wrong catalogue, or skip the new reading.
     */
    public String validatorKey() {
        StringBuilder all = new StringBuilder(base);
        query.forEach(kv -> all.append('\n').append(kv[0]).append('=').append(kv[1]));
        new java.util.TreeMap<>(headers).forEach((k, v) -> all.append('\n').append(k).append(": ").append(v));
        new java.util.TreeMap<>(api.settings()).forEach((k, v) -> all.append('\n').append(k).append(" = ").append(v));
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(all.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e); // every JVM has SHA-256
        }
    }

    /** The product-list URL without credentials or query string. */
    public String base() {
        return base;
    }

    /** The headers every request to this vendor carries (Authorization, the extra ones). */
    public Map<String, String> headers() {
        return headers;
    }

    /**
     * The query string of a page request: the URL's own parameters (an API key stays on every page), then
     * ours (limit, skip), which replace the URL's own values for them. Null when there is nothing to send.
     */
    public String pageQuery(String paging) {
        StringJoiner q = new StringJoiner("&");
        for (String[] kv : query) {
            if (paging == null || !PAGING.contains(kv[0])) {
                q.add(kv[0] + "=" + kv[1]);
            }
        }
        if (paging != null && !paging.isEmpty()) {
            q.add(paging);
        }
        return q.length() == 0 ? null : q.toString();
    }

    /**
     * The query string of a page request with these paging parameters (a vendor file's own paging): the
     * URL's own parameters, less any of the same name, then these, URL-encoded. Null when there are none.
     */
    public String pagingQuery(Map<String, String> paging) {
        StringJoiner q = new StringJoiner("&");
        for (String[] kv : query) {
            if (!paging.containsKey(kv[0])) {
                q.add(kv[0] + "=" + kv[1]);
            }
        }
        paging.forEach((k, v) -> q.add(URLEncoder.encode(k, StandardCharsets.UTF_8) + "=" + URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return q.length() == 0 ? null : q.toString();
    }

    /**
     * An order URL of a vendor file (absolute, or relative to the vendor's URL as a browser resolves it:
     * "/orders" from the host, "orders" beside the catalogue), with the URL's own query added when the
     * vendor file's URL has none.
     */
    public String orderUrl(String target) {
        String resolved = URI.create(base).resolve(target.trim()).toString();
        String own = pageQuery(null);
        return own == null || resolved.contains("?") ? resolved : resolved + "?" + own;
    }

    /** PUT <path>/<product id>?<the URL's own query>, the product id encoded as one path segment. */
    public String putUrl(String productId) {
        String path = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        String own = pageQuery(null);
        return path + "/" + URLEncoder.encode(productId, StandardCharsets.UTF_8).replace("+", "%20")
                + (own == null ? "" : "?" + own);
    }

    /** The URL as operators may see it: no credentials, the query's values hidden. */
    public String displayUrl() {
        if (query.isEmpty()) {
            return base;
        }
        StringJoiner q = new StringJoiner("&");
        query.forEach(kv -> q.add(kv[0] + "=" + HIDDEN));
        return base + "?" + q;
    }

    /** The text with every secret of this vendor replaced by ***. */
    /** The values {@link #redact} hides (for the log's masking, SecretMasking). */
    public List<String> secrets() {
        return secrets;
    }

    public String redact(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String secret : secrets) {
            out = out.replace(secret, HIDDEN);
        }
        return out;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
