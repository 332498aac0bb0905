package dev.aggregator.order;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.Metrics;
import dev.aggregator.support.OrderLog;
import dev.aggregator.support.ProblemException;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * POST /orders: a cart of lines from any vendors, reserved whole or not at all, in one transaction: the
 * cart row, every product locked in a fixed order and checked (CartCheck), the reservations, one order and
 * one outbox row per line. Each line is then an order like POST /order's: published, delivered through its
 * vendor's lane, cancellable on its own.
 */
public class CartIntake {

    private static final Logger LOG = LoggerFactory.getLogger(CartIntake.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OutboxPublisher outbox;
    private final VendorRegistry vendors;
    private final ObjectMapper json;
    private final Metrics metrics;

    public CartIntake(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, OutboxPublisher outbox, VendorRegistry vendors,
                      ObjectMapper json, Metrics metrics) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.vendors = vendors;
        this.json = json;
        this.metrics = metrics;
    }

    /** The answer to one POST /orders: 202 with the cart, for a first request and its retries alike. */
    public record Accepted(UUID cartId, String body, boolean replayed) {
    }

    private record Queued(long outboxId, UUID orderId, String vendor, String payload) {
    }

    private record Placed(Accepted accepted, List<Queued> queued) {
    }

    /** The place-cart route's step (bound as the processor "placeCart"), like OrderIntake.take. */
    public void take(Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        message.setBody(handle(message.getBody(byte[].class), message.getHeader("Idempotency-Key", String.class),
                message.getHeader(Exchange.CONTENT_TYPE, String.class)));
    }

    public Accepted handle(@Body byte[] body, @Header("Idempotency-Key") String idempotencyKey,
                           @Header(Exchange.CONTENT_TYPE) String contentType) {
        try {
            if (contentType != null && !contentType.toLowerCase().contains("json")) {
                throw new ProblemException(415, "Unsupported Media Type", "Content-Type must be application/json, not " + contentType);
            }
            return accept(CartRequest.parse(body, json), idempotencyKey);
        } catch (ProblemException e) {
            metrics.orderRejected(OrderIntake.rejectionReason(e));
            throw e;
        }
    }

    public Accepted accept(CartRequest cart, String idempotencyKey) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.trim();
        if (key != null && key.length() > OrderIntake.MAX_KEY) {
            throw ProblemException.badRequest("Idempotency-Key must be at most " + OrderIntake.MAX_KEY + " characters");
        }
        if (key != null) {
            Accepted earlier = replay(key, cart);
            if (earlier != null) {
                return earlier;
            }
        }
        List<String> unknownVendors = new ArrayList<>();
        for (int i = 0; i < cart.lines().size(); i++) {
            String vendor = cart.lines().get(i).vendor();
            if (vendors.find(vendor).isEmpty()) {
                unknownVendors.add("lines[" + i + "]: unknown vendor '" + vendor + "'");
            }
        }
        if (!unknownVendors.isEmpty()) {
            throw ProblemException.notFound(String.join("; ", unknownVendors));
        }
        UUID cartId = UUID.randomUUID();
        Placed placed = OrderIntake.retryingLockConflicts(() -> tx.execute(status -> {
            Placed p = place(cartId, cart, key);
            if (p == null) {
                status.setRollbackOnly();
            }
            return p;
        }));
        if (placed == null) {
            Accepted earlier = replay(key, cart);
            if (earlier == null) {
                throw new IllegalStateException("Idempotency-Key " + key + " conflicted but no cart holds it");
            }
            return earlier;
        }
        for (Queued q : placed.queued()) {
            metrics.orderAccepted(q.vendor());
            outbox.publishSoon(q.outboxId(), q.orderId(), q.vendor(), q.payload());
        }
        LOG.info("Cart {} accepted: {} line(s)", cartId, cart.lines().size());
        return placed.accepted();
    }

    /**
     * The transaction: null when a concurrent request with the same key won (rolled back by the caller);
     * a ProblemException (rolling it all back) when a product is unknown or short.
     */
    private Placed place(UUID cartId, CartRequest cart, String key) {
        String createdAt = Instant.now().toString();
        List<UUID> orderIds = new ArrayList<>();
        cart.lines().forEach(l -> orderIds.add(UUID.randomUUID()));
        MapSqlParameterSource c = new MapSqlParameterSource()
                .addValue("cartId", cartId)
                .addValue("idempotencyKey", key)
                .addValue("fingerprint", cart.fingerprint())
                .addValue("response", "{}"); // written once the prices are known, below
        if (jdbc.update(ClasspathText.load("sql/cart/insert-cart.sql"), c) == 0) {
            return null;
        }
        Map<CartCheck.Product, Integer> demand = CartCheck.demand(cart.lines());
        String[] vendorsOf = demand.keySet().stream().map(CartCheck.Product::vendor).toArray(String[]::new);
        String[] productIds = demand.keySet().stream().map(CartCheck.Product::productId).toArray(String[]::new);
        List<Map<String, Object>> locked = jdbc.queryForList(ClasspathText.load("sql/cart/lock-products.sql"),
                new MapSqlParameterSource("vendors", vendorsOf).addValue("productIds", productIds));
        Map<CartCheck.Product, Integer> available = CartCheck.available(locked);
        List<String> unknown = CartCheck.problems(cart.lines(), available, true);
        if (!unknown.isEmpty()) {
            throw ProblemException.notFound(String.join("; ", unknown));
        }
        List<String> short_ = CartCheck.problems(cart.lines(), available, false);
        if (!short_.isEmpty()) {
            throw ProblemException.conflict("not enough stock, nothing reserved: " + String.join("; ", short_));
        }
        Map<CartCheck.Product, BigDecimal> prices = new LinkedHashMap<>();
        for (Map<String, Object> row : locked) {
            prices.put(new CartCheck.Product((String) row.get("vendor"), (String) row.get("product_id")), (BigDecimal) row.get("price"));
        }
        // in the lock order; the rows are ours already, so each conditional UPDATE succeeds
        demand.forEach((product, quantity) -> {
            List<BigDecimal> reserved = jdbc.queryForList(ClasspathText.load("sql/order/reserve-stock.sql"), new MapSqlParameterSource()
                    .addValue("vendor", product.vendor()).addValue("productId", product.productId()).addValue("quantity", quantity),
                    BigDecimal.class);
            if (reserved.isEmpty()) {
                throw new IllegalStateException("locked product " + product + " could not be reserved");
            }
        });
        List<Map<String, Object>> lines = new ArrayList<>();
        List<Queued> queued = new ArrayList<>();
        for (int i = 0; i < cart.lines().size(); i++) {
            OrderRequest line = cart.lines().get(i);
            UUID orderId = orderIds.get(i);
            BigDecimal price = prices.get(new CartCheck.Product(line.vendor(), line.productId()));
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("line", i);
            answer.put("orderId", orderId.toString());
            answer.put("status", "PENDING");
            answer.put("vendor", line.vendor());
            answer.put("id", line.productId());
            answer.put("quantity", line.quantity());
            answer.put("unitPrice", price);
            answer.put("createdAt", createdAt);
            lines.add(answer);
            String payload = OutboxPublisher.payload(orderId, line.vendor(), line.productId(), line.quantity());
            MapSqlParameterSource p = new MapSqlParameterSource()
                    .addValue("orderId", orderId).addValue("vendor", line.vendor()).addValue("productId", line.productId())
                    .addValue("quantity", line.quantity()).addValue("unitPrice", price).addValue("fingerprint", line.fingerprint())
                    .addValue("response", write(answer)).addValue("cartId", cartId).addValue("line", i).addValue("payload", payload)
                    .addValue("traceParent", dev.aggregator.support.Tracing.traceparent());
            jdbc.update(ClasspathText.load("sql/cart/insert-line.sql"), p);
            Long outboxId = jdbc.queryForObject(ClasspathText.load("sql/order/insert-outbox.sql"), p, Long.class);
            queued.add(new Queued(outboxId == null ? 0 : outboxId, orderId, line.vendor(), payload));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("cartId", cartId.toString());
        body.put("status", "PENDING");
        body.put("lines", lines);
        body.put("createdAt", createdAt);
        String response = write(body);
        jdbc.update(ClasspathText.load("sql/cart/set-response.sql"),
                new MapSqlParameterSource("cartId", cartId).addValue("response", response));
        for (Queued q : queued) {
            OrderLog.info(LOG, q.orderId().toString(), q.vendor(), "Order accepted as a line of cart {}", cartId);
        }
        return new Placed(new Accepted(cartId, response, false), queued);
    }

    private Accepted replay(String key, CartRequest cart) {
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/cart/find-by-idempotency-key.sql"),
                Map.of("idempotencyKey", key));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        if (!cart.fingerprint().equals(row.get("request_fingerprint"))) {
            throw new ProblemException(422, "Unprocessable Content",
                    "Idempotency-Key '" + key + "' was already used for a different cart");
        }
        return new Accepted((UUID) row.get("cart_id"), (String) row.get("response"), true);
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
