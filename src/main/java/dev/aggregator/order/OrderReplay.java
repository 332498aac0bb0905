package dev.aggregator.order;

import dev.aggregator.support.OrderLog;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Gives a FAILED order another go (a dead letter replayed by an operator): back to PENDING with its stock
 * reserved again, in one transaction, and queued like a new order. When the stock is gone it stays FAILED
 * with a reason saying so.
 */
public class OrderReplay {

    private static final Logger LOG = LoggerFactory.getLogger(OrderReplay.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final OutboxPublisher outbox;

    public OrderReplay(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, OutboxPublisher outbox) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.outbox = outbox;
    }

    /** What became of one replay: done (queued again) or refused with a reason. */
    public record Outcome(boolean replayed, String reason) {
    }

    public Outcome replay(UUID orderId) {
        record Reopened(long outboxId, String vendor, String payload) {
        }
        Object result = tx.execute(status -> {
            MapSqlParameterSource p = new MapSqlParameterSource("orderId", orderId);
            List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/reopen-failed.sql"), p);
            if (rows.isEmpty()) {
                List<String> current = jdbc.queryForList(ClasspathText.load("sql/order/order-status.sql"), p, String.class);
                return current.isEmpty() ? "order " + orderId + " does not exist" : "ALREADY:" + current.get(0);
            }
            Map<String, Object> row = rows.get(0);
            p.addValue("vendor", row.get("vendor")).addValue("productId", row.get("product_id")).addValue("quantity", row.get("quantity"));
            if (jdbc.queryForList(ClasspathText.load("sql/order/reserve-stock.sql"), p, java.math.BigDecimal.class).isEmpty()) {
                status.setRollbackOnly();
                List<Integer> available = jdbc.queryForList(ClasspathText.load("sql/order/available-stock.sql"), p, Integer.class);
                return "not enough stock to replay: " + row.get("quantity") + " needed, "
                        + (available.isEmpty() ? 0 : available.get(0)) + " available";
            }
            // The order's first message left the outbox when the broker confirmed it: the same message again.
            String payload = OutboxPublisher.payload(orderId, (String) row.get("vendor"), (String) row.get("product_id"),
                    ((Number) row.get("quantity")).intValue());
            // The replay's delivery is traced under a span of the replay's own request that links to the order's
            // first trace (issue 27): an operator looking at either finds the other.
            io.opentelemetry.api.trace.Span replay = dev.aggregator.support.Tracing.linkedSpan("replay order",
                    (String) row.get("trace_parent"), orderId.toString());
            p.addValue("payload", payload).addValue("traceParent", dev.aggregator.support.Tracing.traceparentOf(replay));
            replay.end();
            Long outboxId = jdbc.queryForObject(ClasspathText.load("sql/order/insert-outbox.sql"), p, Long.class);
            return new Reopened(outboxId == null ? 0 : outboxId, (String) row.get("vendor"), payload);
        });
        if (result instanceof Reopened r) {
            log(orderId, "Order replayed by an operator: PENDING again, stock reserved again");
            outbox.publishSoon(r.outboxId(), orderId, r.vendor(), r.payload());
            return new Outcome(true, null);
        }
        String reason = (String) result;
        if (reason != null && reason.startsWith("ALREADY:")) {
            // Already PENDING or SYNCED: the dead letter is stale, taking it out of the queue is right.
            return new Outcome(true, "order is already " + reason.substring("ALREADY:".length()));
        }
        if (reason != null && reason.startsWith("not enough stock")) {
            jdbc.update(ClasspathText.load("sql/order/note-error.sql"), new MapSqlParameterSource("orderId", orderId).addValue("reason", reason));
        }
        log(orderId, "Replay refused: " + reason);
        return new Outcome(false, reason);
    }

    private static void log(UUID orderId, String message) {
        OrderLog.info(LOG, orderId.toString(), null, message);
    }
}
