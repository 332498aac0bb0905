package dev.aggregator.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.aggregator.support.Jq;

/**
 * How a vendor's API looks, as a vendor file describes it (issue 24): how its catalogue is paged and
 * encoded, where the product records are in a page and how each field of ours is read from a record, and
 * how an order is sent to it and its reference read back. Every setting is optional; left out, the vendor
 * is read and written as before (DummyJSON-style limit/skip or one array, the contract's field aliases,
 * PUT <url>/<id> with our JSON body), so existing files and VENDOR_URL_<n> vendors work unchanged.
 * Expressions are jq; they are compiled when the file loads, so a bad one refuses the file there.
 */
public record VendorApi(Format format, char csvDelimiter, Paging paging, Integer pageSize,
                        String offsetParam, String limitParam, String pageParam, int firstPage,
                        String totalPagesHeader, Jq totalPagesField, Jq cursorField, String cursorHeader, String cursorParam,
                        Jq records, Jq id, Jq name, Jq price, Jq stock,
                        String orderMethod, Jq orderUrl, Jq orderBody, Map<String, String> orderHeaders,
                        List<int[]> orderAccepted, Jq orderRef, String pageRoute, String orderRoute, Map<String, String> settings) {

    public enum Format { JSON, CSV, XML }

    public enum Paging { AUTO, OFFSET, PAGE, CURSOR, LINK, NONE }

    /** The template parameters that describe the API, as a vendor file names them. */
    public static final List<String> PARAMETERS = List.of("format", "csvDelimiter", "paging", "pageSize", "offsetParam",
            "limitParam", "pageParam", "firstPage", "totalPagesHeader", "totalPagesField", "cursorField", "cursorHeader",
            "cursorParam", "records", "id", "name", "price", "stock", "orderMethod", "orderUrl", "orderBody", "orderHeaders",
            "orderAccepted", "orderRef", "pageRoute", "orderRoute");

    /** A vendor's own route is called through direct: (README "A vendor of its own"): the poll and the lane wait for its answer. */
    private static final java.util.regex.Pattern ROUTE = java.util.regex.Pattern.compile("direct:[A-Za-z0-9_.-]{1,100}");

    public static final VendorApi DEFAULT = of(Map.of());

    /** Equal when the file said the same: compiled expressions have no equality of their own. */
    @Override
    public boolean equals(Object other) {
        return other instanceof VendorApi api && api.settings.equals(settings);
    }

    @Override
    public int hashCode() {
        return settings.hashCode();
    }

    /** Whether anything of the catalogue's reading differs from the default (paging, format, mapping). */
    public boolean mapped() {
        return format != Format.JSON || paging != Paging.AUTO || records != null || id != null || name != null || price != null
                || stock != null;
    }

    /** Whether any field of ours has an expression of its own. */
    public boolean mapsFields() {
        return id != null || name != null || price != null || stock != null;
    }

    /** Whether the status code means the vendor accepted the order. */
    public boolean accepts(int status) {
        for (int[] range : orderAccepted) {
            if (status >= range[0] && status <= range[1]) {
                return true;
            }
        }
        return false;
    }

    /**
     * Reads the settings (blank = left out); a value that is not allowed is a SettingsException naming
     * the setting, as for the environment's vendors.
     */
    public static VendorApi of(Map<String, String> raw) {
        Map<String, String> s = new LinkedHashMap<>();
        raw.forEach((k, v) -> {
            if (v != null && !v.isBlank()) {
                s.put(k, v.trim());
            }
        });
        Format format = choice(s, "format", Format.class, Format.JSON);
        Paging paging = choice(s, "paging", Paging.class, Paging.AUTO);
        String delimiter = s.getOrDefault("csvDelimiter", ",");
        if (delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")) {
            delimiter = "\t";
        }
        if (delimiter.length() != 1) {
            throw new SettingsException("csvDelimiter", "'" + delimiter + "' must be one character");
        }
        Integer pageSize = s.containsKey("pageSize") ? positive("pageSize", s.get("pageSize"), 10_000) : null;
        int firstPage = s.containsKey("firstPage") ? positive("firstPage", s.get("firstPage"), 1_000_000) : 1;
        String method = s.getOrDefault("orderMethod", "PUT").toUpperCase(Locale.ROOT);
        if (!List.of("PUT", "POST", "PATCH").contains(method)) {
            throw new SettingsException("orderMethod", "'" + s.get("orderMethod") + "' must be PUT, POST or PATCH");
        }
        if (paging == Paging.CURSOR && !s.containsKey("cursorField") && !s.containsKey("cursorHeader")) {
            throw new SettingsException("paging", "cursor paging needs cursorField (a jq expression) or cursorHeader");
        }
        String pageRoute = route(s, "pageRoute");
        String orderRoute = route(s, "orderRoute");
        return new VendorApi(format, delimiter.charAt(0), paging, pageSize,
                s.getOrDefault("offsetParam", "offset"), s.getOrDefault("limitParam", "limit"), s.getOrDefault("pageParam", "page"),
                firstPage, s.get("totalPagesHeader"), jq(s, "totalPagesField"), jq(s, "cursorField"), s.get("cursorHeader"),
                s.getOrDefault("cursorParam", "cursor"),
                jq(s, "records"), jq(s, "id"), jq(s, "name"), jq(s, "price"), jq(s, "stock"),
                method, jq(s, "orderUrl"), jq(s, "orderBody"), headers(s.get("orderHeaders")),
                ranges(s.getOrDefault("orderAccepted", "200-299")), jq(s, "orderRef"), pageRoute, orderRoute, Map.copyOf(s));
    }

    private static String route(Map<String, String> s, String key) {
        String v = s.get(key);
        if (v != null && !ROUTE.matcher(v).matches()) {
            throw new SettingsException(key, "'" + v + "' must be a direct: endpoint that a route of the same file consumes, e.g. direct:"
                    + (key.equals("pageRoute") ? "myvendor-page" : "myvendor-order"));
        }
        return v;
    }

    private static Jq jq(Map<String, String> s, String key) {
        try {
            return Jq.compileOptional(s.get(key));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key, e.getMessage());
        }
    }

    private static <E extends Enum<E>> E choice(Map<String, String> s, String key, Class<E> type, E fallback) {
        String v = s.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key, "'" + v + "' must be one of " + java.util.Arrays.toString(type.getEnumConstants()).toLowerCase(Locale.ROOT));
        }
    }

    private static int positive(String key, String v, int max) {
        try {
            int n = Integer.parseInt(v);
            if (n >= 0 && n <= max && !(n == 0 && !key.equals("firstPage"))) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new SettingsException(key, "'" + v + "' must be a whole number from " + (key.equals("firstPage") ? 0 : 1) + " to " + max);
    }

    /** "Name: value; Name: value". */
    static Map<String, String> headers(String text) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (text == null) {
            return headers;
        }
        for (String pair : text.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            if (colon <= 0) {
                throw new SettingsException("orderHeaders", "'" + pair.trim() + "' is not 'Name: value'");
            }
            headers.put(pair.substring(0, colon).trim(), pair.substring(colon + 1).trim());
        }
        return headers;
    }

    /** "200-299", "201", "200,202": inclusive ranges of status codes. */
    static List<int[]> ranges(String text) {
        List<int[]> ranges = new java.util.ArrayList<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            try {
                String[] ends = p.split("-", 2);
                int from = Integer.parseInt(ends[0].trim());
                int to = ends.length > 1 ? Integer.parseInt(ends[1].trim()) : from;
                if (from < 100 || to > 599 || from > to) {
                    throw new NumberFormatException();
                }
                ranges.add(new int[] {from, to});
            } catch (NumberFormatException e) {
                throw new SettingsException("orderAccepted", "'" + p + "' is not a status code or range such as 200-299");
            }
        }
        return List.copyOf(ranges);
    }
}
