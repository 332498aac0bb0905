package dev.aggregator.api;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;

import dev.aggregator.support.ProblemException;
import dev.aggregator.support.QueryParams;

/**
 * GET /products with a search, a filter or a sort (issue 26), checked: a bad value is a 400 whose detail names
 * the parameter. The record is the answer cache's key, so equal requests are equal records (values normalized).
 * A cursor belongs to the sort and filters it was given out with: used with others it is a 400.
 *
 * @param after the cursor's product, or null for the first page
 */
public record ProductSearch(String vendor, String q, Boolean inStock, BigDecimal minPrice, BigDecimal maxPrice,
                            ProductSort sort, int limit, int offset, ProductCursor after) {

    /** Longer than any product name worth searching for (names are cut at 1,000 characters). */
    static final int MAX_Q = 200;

    /** Whether any of the search's own parameters is given: otherwise the request is the default listing. */
    public static boolean asked(String q, String inStock, String minPrice, String maxPrice, String sort) {
        return !(blank(q) && blank(inStock) && blank(minPrice) && blank(maxPrice) && blank(sort));
    }

    public static ProductSearch parse(String vendor, String limit, String offset, String cursor, String q,
                                      String inStock, String minPrice, String maxPrice, String sort) {
        String v = blank(vendor) ? null : vendor.trim();
        String text = blank(q) ? null : q.trim();
        if (text != null && text.length() > MAX_Q) {
            throw ProblemException.badRequest("q must be at most " + MAX_Q + " characters, not " + text.length());
        }
        if (text != null && text.indexOf('\0') >= 0) {
            throw ProblemException.badRequest("q must not contain a NUL character");
        }
        Boolean stocked = bool("inStock", inStock);
        BigDecimal min = price("minPrice", minPrice);
        BigDecimal max = price("maxPrice", maxPrice);
        if (min != null && max != null && min.compareTo(max) > 0) {
            throw ProblemException.badRequest("minPrice (" + min.toPlainString() + ") must not be above maxPrice ("
                    + max.toPlainString() + ")");
        }
        ProductSort order = ProductSort.parse(sort);
        int l = QueryParams.integer("limit", limit, ProductListing.DEFAULT_LIMIT, 1, ProductListing.MAX_LIMIT);
        int o = QueryParams.integer("offset", offset, 0, 0, Integer.MAX_VALUE);
        ProductSearch search = new ProductSearch(v, text, stocked, min, max, order, l, o, null);
        ProductCursor after = ProductCursor.decode(cursor);
        if (after == null) {
            return search;
        }
        if (!after.searched()) {
            throw ProblemException.badRequest("cursor continues the listing without q, inStock, minPrice, maxPrice or "
                    + "sort; ask again with the parameters of the answer that gave it");
        }
        if (!order.param().equals(after.sort())) {
            throw ProblemException.badRequest("cursor continues the listing sorted by '" + after.sort()
                    + "', not by '" + order.param() + "'");
        }
        if (!search.filtersTag().equals(after.filters())) {
            throw ProblemException.badRequest("cursor continues a listing with other vendor, q, inStock, minPrice or "
                    + "maxPrice values; ask again with the parameters of the answer that gave it");
        }
        if (!order.validKey(after.key())) {
            throw ProductCursor.bad("is not a cursor this service gave out");
        }
        return new ProductSearch(v, text, stocked, min, max, order, l, o, after);
    }

    /** Whether the page is narrowed by more than the vendor (then the total is a count of the matches). */
    boolean filtered() {
        return q != null || inStock != null || minPrice != null || maxPrice != null;
    }

    /** The WHERE fragment of the filters given: fixed text, the values named parameters. */
    String filters() {
        StringBuilder sql = new StringBuilder();
        if (vendor != null) {
            sql.append(" AND p.vendor = :vendor");
        }
        if (q != null) {
            sql.append(" AND product_search_text(p.name) LIKE '%' || product_search_text(:q) || '%'");
        }
        if (inStock != null) {
            sql.append(inStock ? " AND p.vendor_stock - p.reserved > 0" : " AND p.vendor_stock - p.reserved <= 0");
        }
        if (minPrice != null) {
            sql.append(" AND p.price >= :minPrice");
        }
        if (maxPrice != null) {
            sql.append(" AND p.price <= :maxPrice");
        }
        return sql.toString();
    }

    /** q as a LIKE pattern's middle: its own %, _ and \ match themselves. */
    String likeQ() {
        return q == null ? null : q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }

    /**
     * What a cursor remembers of the filters: a short hash of their normalized values (the vendor included),
     * enough to tell another request's cursor from this one's, and opaque like the rest of the cursor.
     */
    String filtersTag() {
        String all = String.join("\0", String.valueOf(vendor), String.valueOf(q), String.valueOf(inStock),
                minPrice == null ? "null" : minPrice.toPlainString(), maxPrice == null ? "null" : maxPrice.toPlainString());
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(all.getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(hash, 9));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The cursor after a page whose last product is this one. */
    ProductCursor next(String lastVendor, String lastId, String lastKey) {
        return new ProductCursor(lastVendor, lastId, sort.param(), lastKey, filtersTag());
    }

    private static Boolean bool(String name, String raw) {
        if (blank(raw)) {
            return null;
        }
        String v = raw.trim();
        if (v.equalsIgnoreCase("true")) {
            return Boolean.TRUE;
        }
        if (v.equalsIgnoreCase("false")) {
            return Boolean.FALSE;
        }
        throw ProblemException.badRequest(name + " must be true or false, not '" + raw + "'");
    }

    /** A price bound: a plain decimal, 0 or more (prices have two decimals; finer bounds are allowed). */
    private static BigDecimal price(String name, String raw) {
        if (blank(raw)) {
            return null;
        }
        String v = raw.trim();
        if (!v.matches("\\d{1,12}(\\.\\d{1,6})?")) {
            throw ProblemException.badRequest(name + " must be a decimal number of at most 12 digits before the point "
                    + "and 6 after, 0 or more, such as 9.99, not '" + raw + "'");
        }
        BigDecimal d = new BigDecimal(v).stripTrailingZeros();
        return d.scale() < 0 ? d.setScale(0) : d;
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
