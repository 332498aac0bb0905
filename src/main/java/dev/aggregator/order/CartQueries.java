package dev.aggregator.order;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.ProblemException;
import dev.aggregator.support.Timestamps;
import org.apache.camel.Header;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** GET /carts/{cartId}: the cart's lines as their orders are now, and the cart's status from them (CartStatus). */
public class CartQueries {

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;

    public CartQueries(NamedParameterJdbcTemplate jdbc, ObjectMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    public String one(@Header("cartId") String cartId) {
        UUID id;
        try {
            id = UUID.fromString(cartId == null ? "" : cartId.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no cart '" + cartId + "' (cart ids are UUIDs)");
        }
        MapSqlParameterSource p = new MapSqlParameterSource("cartId", id);
        List<Map<String, Object>> cart = jdbc.queryForList(ClasspathText.load("sql/cart/find-cart.sql"), p);
        if (cart.isEmpty()) {
            throw ProblemException.notFound("no cart " + id);
        }
        List<Map<String, Object>> lines = new ArrayList<>();
        List<String> statuses = new ArrayList<>();
        for (Map<String, Object> row : jdbc.queryForList(ClasspathText.load("sql/cart/cart-lines.sql"), p)) {
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("line", ((Number) row.get("cart_line")).intValue());
            line.put("orderId", row.get("order_id"));
            line.put("status", row.get("status"));
            line.put("vendor", row.get("vendor"));
            line.put("id", row.get("product_id"));
            line.put("quantity", row.get("quantity"));
            line.put("unitPrice", new java.math.BigDecimal((String) row.get("unit_price")));
            line.put("attempts", row.get("attempts"));
            line.put("lastError", row.get("last_error"));
            line.put("vendorRef", row.get("vendor_ref"));
            line.put("syncedAt", Timestamps.isoFromUtcText((String) row.get("synced_at")));
            line.put("failedAt", Timestamps.isoFromUtcText((String) row.get("failed_at")));
            line.put("cancelledAt", Timestamps.isoFromUtcText((String) row.get("cancelled_at")));
            lines.add(line);
            statuses.add((String) row.get("status"));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cartId", id.toString());
        body.put("status", CartStatus.of(statuses));
        body.put("lines", lines);
        body.put("createdAt", Timestamps.isoFromUtcText((String) cart.get(0).get("created_at")));
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
