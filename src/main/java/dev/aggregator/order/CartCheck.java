package dev.aggregator.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Whether a cart can be reserved whole: its lines summed per product (two lines of one product need both
 * quantities) against what each product has available, read under the products' locks. Every line that
 * cannot be served is named, not only the first, so a client can fix the whole cart at once.
 */
public final class CartCheck {

    private CartCheck() {
    }

    /** A product of a cart, its key in the fixed lock order (vendor, then product id). */
    public record Product(String vendor, String productId) implements Comparable<Product> {
        @Override
        public int compareTo(Product o) {
            int v = vendor.compareTo(o.vendor);
            return v != 0 ? v : productId.compareTo(o.productId);
        }
    }

    /** The quantity asked of each product, in the lock order. */
    public static Map<Product, Integer> demand(List<OrderRequest> lines) {
        Map<Product, Integer> demand = new TreeMap<>();
        for (OrderRequest line : lines) {
            demand.merge(new Product(line.vendor(), line.productId()), line.quantity(), Integer::sum);
        }
        return demand;
    }

    /**
     * The lines that cannot be served, each described for the 409/404 answer; empty when the cart can be
     * reserved whole. A product absent from available is unknown; one asked for more than it has makes every
     * line of it short.
     */
    public static List<String> problems(List<OrderRequest> lines, Map<Product, Integer> available, boolean unknownOnly) {
        Map<Product, Integer> demand = demand(lines);
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            OrderRequest line = lines.get(i);
            Product p = new Product(line.vendor(), line.productId());
            Integer left = available.get(p);
            String name = "lines[" + i + "] (product '" + line.productId() + "' of vendor '" + line.vendor() + "')";
            if (left == null) {
                problems.add(name + ": unknown product");
            } else if (!unknownOnly && demand.get(p) > left) {
                problems.add(name + ": " + (demand.get(p) == line.quantity() ? line.quantity() + " ordered"
                        : demand.get(p) + " ordered in all lines of this product") + ", " + left + " available");
            }
        }
        return problems;
    }

    /** available keyed by product, from the locked rows. */
    public static Map<Product, Integer> available(List<Map<String, Object>> rows) {
        Map<Product, Integer> available = new LinkedHashMap<>();
        for (Map<String, Object> row : rows) {
            available.put(new Product((String) row.get("vendor"), (String) row.get("product_id")), ((Number) row.get("available")).intValue());
        }
        return available;
    }
}
