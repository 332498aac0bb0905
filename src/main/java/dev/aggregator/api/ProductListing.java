package dev.aggregator.api;

import dev.aggregator.support.Timestamps;

import dev.aggregator.support.QueryParams;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.camel.Exchange;
import org.apache.camel.Header;

/** GET /products: checks the query parameters and shapes the rows into the contract's answer. */
public class ProductListing {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    /** Validates ?vendor=&limit=&offset= and leaves them as headers for the SQL's named parameters. */
    public void parameters(Exchange exchange, @Header("vendor") String vendor, @Header("limit") String limit,
                           @Header("offset") String offset) {
        var in = exchange.getMessage();
        in.setHeader("vendor", vendor == null || vendor.isBlank() ? null : vendor.trim());
        in.setHeader("limit", QueryParams.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT));
        in.setHeader("offset", QueryParams.integer("offset", offset, 0, 0, Integer.MAX_VALUE));
    }

    public Map<String, Object> answer(@Header("rows") List<Map<String, Object>> rows, @Header("total") Number total,
                                      @Header("limit") int limit, @Header("offset") int offset) {
        List<Map<String, Object>> products = new ArrayList<>(rows.size());
        for (Map<String, Object> row : rows) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("vendor", row.get("vendor"));
            p.put("id", row.get("product_id"));
            p.put("name", row.get("name"));
            p.put("price", row.get("price"));
            p.put("stock", row.get("stock"));
            p.put("vendorStock", row.get("vendor_stock"));
            p.put("reserved", row.get("reserved"));
            p.put("fetchedAt", Timestamps.iso(row.get("fetched_at")));
            p.put("updatedAt", Timestamps.iso(row.get("updated_at")));
            if (row.get("delisted_at") != null) {
                p.put("delistedAt", Timestamps.iso(row.get("delisted_at"))); // no longer in the vendor's listing: stock 0
            }
            products.add(p);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("products", products);
        answer.put("total", total == null ? 0 : total.longValue());
        answer.put("limit", limit);
        answer.put("offset", offset);
        return answer;
    }

}
