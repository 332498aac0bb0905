package dev.aggregator.order;

import dev.aggregator.support.Timestamps;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import dev.aggregator.support.ProblemException;
import dev.aggregator.config.ClasspathText;
import org.apache.camel.Header;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** GET /orders/{orderId} and GET /orders?status=: an order's story as the database holds it. */
public class OrderQueries {

    static final Set<String> STATUSES = Set.of("PENDING", "SYNCED", "FAILED");

    private final NamedParameterJdbcTemplate jdbc;

    private final OrderCounts counts;

    public OrderQueries(NamedParameterJdbcTemplate jdbc, OrderCounts counts) {
        this.counts = counts;
        this.jdbc = jdbc;
    }

    public Map<String, Object> one(@Header("orderId") String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId == null ? "" : orderId.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no order '" + orderId + "' (order ids are UUIDs)");
        }
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/find-order.sql"), Map.of("orderId", id));
        if (rows.isEmpty()) {
            throw ProblemException.notFound("no order " + id);
        }
        return view(rows.get(0));
    }

    public Map<String, Object> list(@Header("status") String status, @Header("limit") String limit, @Header("offset") String offset) {
        String s = status == null || status.isBlank() ? null : status.trim().toUpperCase();
        if (s != null && !STATUSES.contains(s)) {
            throw ProblemException.badRequest("status must be PENDING, SYNCED or FAILED, not '" + status + "'");
        }
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("status", s)
                .addValue("limit", dev.aggregator.support.QueryParams.integer("limit", limit, 100, 1, 1000))
                .addValue("offset", dev.aggregator.support.QueryParams.integer("offset", offset, 0, 0, Integer.MAX_VALUE));
        List<Map<String, Object>> orders = new ArrayList<>();
        String listing = s == null ? "sql/order/list-orders.sql" : "sql/order/list-orders-by-status.sql";
        for (Map<String, Object> row : jdbc.queryForList(ClasspathText.load(listing), p)) {
            orders.add(view(row));
        }
        long total = counts.total(s);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orders", orders);
        answer.put("total", total);
        return answer;
    }

    static Map<String, Object> view(Map<String, Object> row) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("orderId", row.get("order_id").toString());
        o.put("status", row.get("status"));
        o.put("vendor", row.get("vendor"));
        o.put("id", row.get("product_id"));
        o.put("quantity", row.get("quantity"));
        o.put("unitPrice", row.get("unit_price"));
        o.put("attempts", row.get("attempts"));
        o.put("lastError", row.get("last_error"));
        o.put("createdAt", Timestamps.iso(row.get("created_at")));
        o.put("updatedAt", Timestamps.iso(row.get("updated_at")));
        o.put("syncedAt", Timestamps.iso(row.get("synced_at")));
        o.put("failedAt", Timestamps.iso(row.get("failed_at")));
        return o;
    }

}
