package dev.aggregator.ops;

import dev.aggregator.support.OrderLog;

import dev.aggregator.support.Metrics;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.order.OutboxPublisher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The reconciliation job: re-sends orders stranded in PENDING (their message lost: a purged queue, a
 * broker that lost non-replicated data) and reports reservations that open orders do not explain.
 */
public class Reconciler {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final Metrics metrics;
    private final double thresholdSeconds;

    public Reconciler(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, Metrics metrics, double thresholdSeconds) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.metrics = metrics;
        this.thresholdSeconds = thresholdSeconds;
    }

    public void run() {
        int resent = resendStranded();
        int drift = reportDrift();
        if (resent > 0 || drift > 0) {
            LOG.info("Reconciliation: {} stranded orders re-sent, {} products with unexplained reservations", resent, drift);
        }
    }

    /** Puts a fresh outbox row for each stranded order; the outbox relay publishes it. */
    int resendStranded() {
        Integer n = tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/ops/stuck-pending.sql"),
                    new MapSqlParameterSource().addValue("thresholdSeconds", thresholdSeconds).addValue("batch", 500));
            for (Map<String, Object> row : rows) {
                UUID orderId = (UUID) row.get("order_id");
                MapSqlParameterSource p = new MapSqlParameterSource("orderId", orderId)
                        .addValue("payload", OutboxPublisher.payload(orderId, (String) row.get("vendor"), (String) row.get("product_id"),
                                ((Number) row.get("quantity")).intValue()));
                jdbc.queryForObject(ClasspathText.load("sql/order/insert-outbox.sql"), p, Long.class);
                jdbc.update(ClasspathText.load("sql/ops/touch-order.sql"), p);
                OrderLog.warn(LOG, orderId.toString(), (String) row.get("vendor"), "Reconciliation re-sends order {}: PENDING since {} with no message in flight", orderId, row.get("updated_at"));
            }
            return rows.size();
        });
        int resent = n == null ? 0 : n;
        if (resent > 0) {
            metrics.reconciliationResent(resent);
        }
        return resent;
    }

    int reportDrift() {
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/ops/reservation-drift.sql"), Map.of());
        metrics.gauge("aggregator_stock_drift_products", "Products whose reservation open orders do not explain", null, null, rows.size());
        for (Map<String, Object> row : rows.subList(0, Math.min(rows.size(), 20))) {
            LOG.warn("Stock drift: {} {} has {} reserved but open orders hold {}", row.get("vendor"), row.get("product_id"),
                    row.get("reserved"), row.get("pending"));
        }
        return rows.size();
    }
}
