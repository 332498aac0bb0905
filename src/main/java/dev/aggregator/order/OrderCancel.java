package dev.aggregator.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.Metrics;
import dev.aggregator.support.OrderLog;
import dev.aggregator.support.ProblemException;
import dev.aggregator.support.RenderedAnswer;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * POST /orders/{orderId}/cancel. An order is cancelled only while its vendor cannot have it: PENDING (or
 * FAILED) with no vendor call whose outcome is unknown. The lane raises orders.calls_unresolved under the
 * order's row lock just before each call, and only while the order is PENDING (call-starting.sql); this
 * takes the same lock. So either the cancel comes first and the lane finds the order CANCELLED and never
 * calls, or the call comes first and the cancel is refused (409) until the vendor has answered. Refusing
 * rather than waiting: a call may take the vendor's time-out (10 s) and its retries much longer; the client
 * is told why and may ask again, and an answer never hangs on a vendor.
 */
public class OrderCancel {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCancel.class);

    /** What a cancel does to an order in a given state. */
    public enum Decision {
        /** PENDING, nothing sent: CANCELLED, its reservation given back. */
        CANCEL_AND_RELEASE,
        /** FAILED, stock already given back: CANCELLED, so no replay sends it later. */
        CANCEL,
        /** Already CANCELLED: answered as it is (a retried cancel is not an error). */
        ALREADY,
        /** SYNCED: the vendor has accepted it. */
        REFUSE_SYNCED,
        /** A call to the vendor is in flight, or its outcome is unknown (a time-out, a crash during it). */
        REFUSE_CALLING
    }

    public static Decision decide(String status, int callsUnresolved) {
        return switch (status) {
            case "SYNCED" -> Decision.REFUSE_SYNCED;
            case "CANCELLED" -> Decision.ALREADY;
            default -> callsUnresolved > 0 ? Decision.REFUSE_CALLING
                    : "FAILED".equals(status) ? Decision.CANCEL : Decision.CANCEL_AND_RELEASE;
        };
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OrderQueries queries;
    private final Metrics metrics;
    private final dev.aggregator.webhook.WebhookOutbox webhooks;

    public OrderCancel(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, OrderQueries queries, Metrics metrics,
                       dev.aggregator.webhook.WebhookOutbox webhooks) {
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.tx = tx;
        this.queries = queries;
        this.metrics = metrics;
    }

    /** The order after the cancel (200), or a ProblemException: 404 unknown, 409 refused and why. */
    public RenderedAnswer cancel(@Header("orderId") String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId == null ? "" : orderId.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no order '" + orderId + "' (order ids are UUIDs)");
        }
        MapSqlParameterSource p = new MapSqlParameterSource("orderId", id);
        Object[] outcome = OrderIntake.retryingLockConflicts(() -> tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/lock-for-cancel.sql"), p);
            if (rows.isEmpty()) {
                return null;
            }
            Map<String, Object> row = rows.get(0);
            Decision d = decide((String) row.get("status"), ((Number) row.get("calls_unresolved")).intValue());
            if (d == Decision.CANCEL || d == Decision.CANCEL_AND_RELEASE) {
                jdbc.update(ClasspathText.load("sql/order/cancel-order.sql"), p);
                if (d == Decision.CANCEL_AND_RELEASE) {
                    p.addValue("vendor", row.get("vendor")).addValue("productId", row.get("product_id")).addValue("quantity", row.get("quantity"));
                    jdbc.update(ClasspathText.load("sql/order/release-reservation.sql"), p);
                }
                // order.cancelled, in the transaction that cancels it (the webhook outbox)
                webhooks.orderCancelled(id);
            }
            return new Object[] {d, row.get("vendor"), row.get("status")};
        }));
        if (outcome == null) {
            throw ProblemException.notFound("no order " + id);
        }
        Decision d = (Decision) outcome[0];
        String vendor = (String) outcome[1];
        switch (d) {
            case REFUSE_SYNCED -> throw ProblemException.conflict("order " + id + " is SYNCED: vendor '" + vendor
                    + "' has accepted it, it can no longer be cancelled");
            case REFUSE_CALLING -> throw ProblemException.conflict("order " + id + " is being sent: a call to vendor '" + vendor
                    + "' is in flight or its outcome is unknown, so the vendor may hold it; "
                    + "GET /orders/" + id + " tells how it ends");
            case CANCEL, CANCEL_AND_RELEASE -> {
                metrics.orderFinished(vendor, "CANCELLED");
                OrderLog.info(LOG, id.toString(), vendor, "Order CANCELLED by the client (was {})" 
                        + (d == Decision.CANCEL_AND_RELEASE ? ", stock released" : ""), outcome[2]);
            }
            default -> {
            }
        }
        return queries.one(id.toString());
    }
}
