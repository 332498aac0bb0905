package dev.aggregator.order;

import dev.aggregator.support.OrderLog;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.vendor.VendorRegistry;
import dev.aggregator.webhook.WebhookOutbox;
import org.apache.camel.Exchange;
import org.apache.camel.Body;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.PessimisticLockingFailureException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * POST /order: reserves the stock, records the order and its outbox row in one transaction, then hands
 * the order to RabbitMQ. The reservation is a conditional UPDATE, so no interleaving can oversell.
 */
public class OrderIntake {

    static final int LOCK_ATTEMPTS = 3;

    private static final Logger LOG = LoggerFactory.getLogger(OrderIntake.class);
    static final int MAX_KEY = 255;

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OutboxPublisher outbox;
    private final VendorRegistry vendors;
    private final ObjectMapper json;
    private final dev.aggregator.support.Metrics metrics;
    private final WebhookOutbox webhooks;

    public OrderIntake(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, OutboxPublisher outbox,
                       VendorRegistry vendors, ObjectMapper json, dev.aggregator.support.Metrics metrics, WebhookOutbox webhooks) {
        this.metrics = metrics;
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
        this.vendors = vendors;
        this.json = json;
    }

    /** The answer to one POST /order: 202 with the order, for a first request and for its retries alike. */
    public record Accepted(UUID orderId, String body, boolean replayed, long outboxId) {
    }

    /**
     * POST /order's business answer: the order accepted (or the first answer to a retried Idempotency-Key),
     * or a ProblemException saying why not. The route turns it into 202, Location and the body.
     */
    public Accepted handle(@Body byte[] body, @Header("Idempotency-Key") String idempotencyKey,
                           @Header(Exchange.CONTENT_TYPE) String contentType) {
        try {
            if (contentType != null && !contentType.toLowerCase().contains("json")) {
                throw new ProblemException(415, "Unsupported Media Type", "Content-Type must be application/json, not " + contentType);
            }
            OrderRequest request = OrderRequest.parse(body, json);
            webhooks.checkCallbackUrl(request.callbackUrl());
            return accept(request, idempotencyKey);
        } catch (ProblemException e) {
            metrics.orderRejected(rejectionReason(e));
            throw e;
        }
    }

    /**
     * The place-order route's step (bound as the processor "placeOrder"): handle() with the request's body and
     * headers, the answer as the body. A plain call: the bean component's binding of the three arguments per
     * request took 9 % of the request threads' CPU in the intake profile (issue 28).
     */
    public void take(Exchange exchange) {
        org.apache.camel.Message message = exchange.getMessage();
        message.setBody(handle(message.getBody(byte[].class), message.getHeader("Idempotency-Key", String.class),
                message.getHeader(Exchange.CONTENT_TYPE, String.class)));
    }

    static String rejectionReason(ProblemException e) {
        return switch (e.status()) {
            case 404 -> "unknown_vendor_or_product";
            case 409 -> "insufficient_stock";
            case 413 -> "too_large";
            case 415 -> "unsupported_media_type";
            case 422 -> "idempotency_conflict";
            default -> "bad_request";
        };
    }

    public Accepted accept(OrderRequest request, String idempotencyKey) {
        String key = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.trim();
        if (key != null && key.length() > MAX_KEY) {
            throw ProblemException.badRequest("Idempotency-Key must be at most " + MAX_KEY + " characters");
        }
        if (key != null) {
            Accepted earlier = replay(key, request);
            if (earlier != null) {
                return earlier;
            }
        }
        if (vendors.find(request.vendor()).isEmpty()) {
            throw ProblemException.notFound("unknown vendor '" + request.vendor() + "'");
        }
        UUID orderId = UUID.randomUUID();
        // The reservation transaction as a span of the order's trace (issue 27). Not made current: the outbox row
        // keeps the request's context, so that a relay's late publish hangs from the POST like the fast path's.
        io.opentelemetry.api.trace.Span reservation = dev.aggregator.support.Tracing.startSpan("reserve order", null);
        reservation.setAttribute("order.id", orderId.toString());
        Accepted accepted;
        try {
            accepted = retryingLockConflicts(key == null ? () -> place(orderId, request) : () -> placeWithKey(orderId, request, key));
        } finally {
            reservation.end();
        }
        if (accepted == null) {
            Accepted earlier = replay(key, request);
            if (earlier == null) {
                throw new IllegalStateException("Idempotency-Key " + key + " conflicted but no order holds it");
            }
            return earlier;
        }
        OrderLog.info(LOG, orderId.toString(), request.vendor(), "Order accepted: {} x {} of {}",
                request.quantity(), request.productId(), request.vendor());
        metrics.orderAccepted(request.vendor());
        outbox.publishSoon(accepted.outboxId(), orderId, request.vendor(), payload(orderId, request));
        return accepted;
    }

    /**
     * Runs the reservation transaction again when PostgreSQL chose it as a deadlock victim. The one known
     * cycle: a retry with a used Idempotency-Key holds the product row and its insert waits on the order
     * row, which a delivery confirming that order has locked before it wants the product row. The victim
     * was rolled back whole, so running it again is safe.
     */
    static <T> T retryingLockConflicts(java.util.function.Supplier<T> transaction) {
        for (int attempt = 1; ; attempt++) {
            try {
                return transaction.get();
            } catch (PessimisticLockingFailureException e) {
                if (attempt == LOCK_ATTEMPTS) {
                    throw e;
                }
                LOG.debug("Order transaction lost a lock conflict (attempt {}); running it again", attempt, e);
            }
        }
    }

    /**
     * An order without an Idempotency-Key: reservation, order row and outbox row in one statement
     * (sql/order/place-order.sql), a quarter of the round trips of the transaction below.
     */
    private Accepted place(UUID orderId, OrderRequest request) {
        String createdAt = Instant.now().toString();
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("orderId", orderId)
                .addValue("vendor", request.vendor())
                .addValue("productId", request.productId())
                .addValue("quantity", request.quantity())
                .addValue("clientName", request.name())
                .addValue("clientPrice", request.price())
                .addValue("fingerprint", request.fingerprint())
                .addValue("callbackUrl", request.callbackUrl())
                .addValue("response", responseBody(orderId, request, null, createdAt))
                .addValue("payload", payload(orderId, request))
                .addValue("traceParent", dev.aggregator.support.Tracing.traceparent());
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/place-order.sql"), p);
        if (rows.isEmpty()) {
            throw notReserved(p, request);
        }
        Map<String, Object> row = rows.get(0);
        return new Accepted(orderId, responseBody(orderId, request, (BigDecimal) row.get("unit_price"), createdAt), false,
                ((Number) row.get("outbox_id")).longValue());
    }

    /**
     * An order with an Idempotency-Key: the three steps in one transaction, rolled back (null) when a
     * concurrent request with the same key won, so our reservation is undone.
     */
    private Accepted placeWithKey(UUID orderId, OrderRequest request, String key) {
        return tx.execute(status -> {
            Accepted result = reserveAndRecord(orderId, request, key);
            if (result == null) {
                status.setRollbackOnly();
            }
            return result;
        });
    }

    /** Why nothing was reserved: 404 for an unknown product, else 409 with what is left. */
    private ProblemException notReserved(MapSqlParameterSource p, OrderRequest request) {
        List<Integer> available = jdbc.queryForList(ClasspathText.load("sql/order/available-stock.sql"), p, Integer.class);
        if (available.isEmpty()) {
            return ProblemException.notFound("unknown product '" + request.productId() + "' of vendor '" + request.vendor() + "'");
        }
        return ProblemException.conflict("not enough stock: " + request.quantity() + " ordered, "
                + available.get(0) + " available of product '" + request.productId() + "' of vendor '" + request.vendor() + "'");
    }

    private Accepted reserveAndRecord(UUID orderId, OrderRequest request, String key) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("orderId", orderId)
                .addValue("vendor", request.vendor())
                .addValue("productId", request.productId())
                .addValue("quantity", request.quantity());
        List<BigDecimal> price = jdbc.queryForList(ClasspathText.load("sql/order/reserve-stock.sql"), p, BigDecimal.class);
        if (price.isEmpty()) {
            throw notReserved(p, request);
        }
        String body = responseBody(orderId, request, price.get(0), Instant.now().toString());
        p.addValue("clientName", request.name())
                .addValue("clientPrice", request.price())
                .addValue("unitPrice", price.get(0))
                .addValue("idempotencyKey", key)
                .addValue("fingerprint", request.fingerprint())
                .addValue("callbackUrl", request.callbackUrl())
                .addValue("response", body)
                .addValue("traceParent", dev.aggregator.support.Tracing.traceparent());
        if (jdbc.update(ClasspathText.load("sql/order/insert-order.sql"), p) == 0) {
            return null;
        }
        p.addValue("payload", payload(orderId, request));
        Long outboxId = jdbc.queryForObject(ClasspathText.load("sql/order/insert-outbox.sql"), p, Long.class);
        return new Accepted(orderId, body, false, outboxId == null ? 0 : outboxId);
    }

    private Accepted replay(String key, OrderRequest request) {
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/find-by-idempotency-key.sql"),
                Map.of("idempotencyKey", key));
        if (rows.isEmpty()) {
            return null;
        }
        Map<String, Object> row = rows.get(0);
        if (!request.fingerprint().equals(row.get("request_fingerprint"))) {
            throw new ProblemException(422, "Unprocessable Content",
                    "Idempotency-Key '" + key + "' was already used for a different order request");
        }
        return new Accepted((UUID) row.get("order_id"), (String) row.get("response"), true, 0);
    }

    /** The 202 body; without a unit price (not known before the reservation) the key is left out. */
    private String responseBody(UUID orderId, OrderRequest request, BigDecimal unitPrice, String createdAt) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", orderId.toString());
        body.put("status", "PENDING");
        body.put("vendor", request.vendor());
        body.put("id", request.productId());
        body.put("quantity", request.quantity());
        if (unitPrice != null) {
            body.put("unitPrice", unitPrice);
        }
        body.put("createdAt", createdAt);
        return write(body);
    }

    String payload(UUID orderId, OrderRequest request) {
        return OutboxPublisher.payload(orderId, request.vendor(), request.productId(), request.quantity());
    }

    private String write(Object o) {
        try {
            return json.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
