package dev.aggregator.api;

import java.util.Arrays;
import java.util.stream.Collectors;

import dev.aggregator.support.ProblemException;

/**
 * GET /products?sort=: the orders a listing can be read in. Each is a total order (ties broken by the default
 * listing's key: vendor, then natural id order), so a keyset cursor continues it exactly; a descending sort is
 * descending in every part, so its keyset is one row comparison. The SQL parts are fixed text: nothing a client
 * sends is spliced into a statement.
 */
public enum ProductSort {
    DEFAULT("vendor", "''", "", false),
    PRICE("price", "p.price::text", "CAST(:afterKey AS numeric)", false),
    PRICE_DESC("-price", "p.price::text", "CAST(:afterKey AS numeric)", true),
    NAME("name", "p.name", "CAST(:afterKey AS text)", false),
    // microseconds since the epoch: the exact value (a text timestamp would need its own parsing and time zone)
    UPDATED_DESC("-updatedAt", "(extract(epoch FROM p.updated_at) * 1000000)::bigint::text",
            "timestamptz 'epoch' + CAST(:afterKey AS bigint) * interval '1 microsecond'", true);

    private final String param;
    private final String keyText;
    private final String keyBound;
    private final boolean descending;

    ProductSort(String param, String keyText, String keyBound, boolean descending) {
        this.param = param;
        this.keyText = keyText;
        this.keyBound = keyBound;
        this.descending = descending;
    }

    /** ?sort=: absent or blank is the default order; anything but the names below is a 400 naming it. */
    public static ProductSort parse(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT;
        }
        String s = raw.trim();
        for (ProductSort sort : values()) {
            if (sort != DEFAULT && sort.param.equals(s)) {
                return sort;
            }
        }
        throw ProblemException.badRequest("sort must be one of " + Arrays.stream(values()).filter(v -> v != DEFAULT)
                .map(v -> v.param).collect(Collectors.joining(", ")) + ", not '" + raw + "'");
    }

    /** The name a cursor carries. */
    public String param() {
        return param;
    }

    static ProductSort ofCursor(String name) {
        for (ProductSort sort : values()) {
            if (sort.param.equals(name)) {
                return sort;
            }
        }
        return null;
    }

    /** The sort key of a row as text, the value a cursor carries. */
    String keyText() {
        return keyText;
    }

    /** ORDER BY: the key, then the default listing's tie-break, all in one direction. */
    String orderBy() {
        String dir = descending ? " DESC" : "";
        String tail = "p.vendor" + dir + ", length(p.product_id)" + dir + ", p.product_id" + dir;
        return this == DEFAULT ? tail : sortColumn() + dir + ", " + tail;
    }

    /** The keyset bound: the rows after the cursor's in this order. */
    String after() {
        String op = descending ? " < " : " > ";
        if (this == DEFAULT) {
            return "(p.vendor, length(p.product_id), p.product_id)" + op + "(:afterVendor, :afterLength, :afterId)";
        }
        return "(" + sortColumn() + ", p.vendor, length(p.product_id), p.product_id)" + op
                + "(" + keyBound + ", :afterVendor, :afterLength, :afterId)";
    }

    /** Whether a cursor's key is one this sort could have written (a crafted one is a 400, not a 500). */
    boolean validKey(String key) {
        return switch (this) {
            case DEFAULT -> key.isEmpty();
            case PRICE, PRICE_DESC -> key.matches("\\d{1,12}(\\.\\d{1,2})?");
            case NAME -> true;
            case UPDATED_DESC -> key.matches("-?\\d{1,18}");
        };
    }

    private String sortColumn() {
        return switch (this) {
            case PRICE, PRICE_DESC -> "p.price";
            case NAME -> "p.name";
            case UPDATED_DESC -> "p.updated_at";
            case DEFAULT -> throw new IllegalStateException();
        };
    }
}
