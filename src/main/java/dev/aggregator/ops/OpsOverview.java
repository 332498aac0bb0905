package dev.aggregator.ops;

import dev.aggregator.support.Timestamps;

import dev.aggregator.support.Metrics;

import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.aggregator.config.QueueTopology;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.delivery.Lanes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What the dashboard and the gauges show: queue depths, orders by status, each vendor's last poll,
 * order rates. Read on a timer (and on demand when stale) so a busy dashboard cannot load the database.
 */
public class OpsOverview {

    private static final Logger LOG = LoggerFactory.getLogger(OpsOverview.class);
    private static final Duration FRESH = Duration.ofSeconds(1);

    private final NamedParameterJdbcTemplate jdbc;
    private final DeadLetters deadLetters;
    private final Metrics metrics;
    private volatile Map<String, Object> latest = Map.of();
    private volatile Instant takenAt = Instant.EPOCH;

    private final Lanes lanes;

    private final dev.aggregator.order.OrderCounts counts;

    private final java.util.function.Supplier<? extends Map<String, ?>> vendorFiles;

    /** Webhook events still being tried and those kept as failed (FailedWebhooks.counts). */
    private final java.util.function.Supplier<Map<String, Object>> webhooks;

    public OpsOverview(NamedParameterJdbcTemplate jdbc, DeadLetters deadLetters, Metrics metrics, Lanes lanes,
                       dev.aggregator.order.OrderCounts counts, java.util.function.Supplier<? extends Map<String, ?>> vendorFiles,
                       java.util.function.Supplier<Map<String, Object>> webhooks) {
        this.webhooks = webhooks;
        this.counts = counts;
        this.vendorFiles = vendorFiles;
        this.lanes = lanes;
        this.jdbc = jdbc;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
    }

    public Map<String, Object> current() {
        if (Duration.between(takenAt, Instant.now()).compareTo(FRESH) > 0) {
            refresh();
        }
        return latest;
    }

    /** The last snapshot as read, never refreshed here (the trend sampler must not add broker and database reads). */
    public Map<String, Object> latest() {
        return latest;
    }

    public synchronized void refresh() {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("takenAt", Instant.now().toString());
        o.put("queues", queues());
        o.put("orders", orders());
        o.put("rates", rates());
        o.put("vendors", vendors());
        o.put("lanes", lanes());
        o.put("vendorFiles", vendorFiles.get());
        o.put("webhooks", webhooks());
        latest = o;
        takenAt = Instant.now();
    }

    private Map<String, Object> queues() {
        Map<String, Object> q = new LinkedHashMap<>();
        for (String queue : QueueTopology.QUEUES) {
            try {
                long depth = deadLetters.depth(queue);
                q.put(queue, depth);
                metrics.gauge("aggregator_queue_depth", "Messages waiting in each queue (dead-letter queues included)", "queue", queue, depth);
            } catch (RuntimeException e) {
                q.put(queue, null);
            }
        }
        return q;
    }

    /** Each vendor's lane: its breaker and calls in flight, and the orders waiting in its queue. */
    private Map<String, Object> lanes() {
        Map<String, Object> all = new LinkedHashMap<>();
        Map<String, String> queues = lanes.queues();
        lanes.snapshot().forEach((vendor, state) -> {
            Map<String, Object> lane = new LinkedHashMap<>(state);
            try {
                long depth = deadLetters.depth(queues.get(vendor));
                lane.put("queued", depth);
                metrics.gauge("aggregator_vendor_queued", "Orders waiting in each vendor's lane queue", "vendor", vendor, depth);
            } catch (RuntimeException e) {
                lane.put("queued", null);
            }
            all.put(vendor, lane);
        });
        return all;
    }

    private Map<String, Object> orders() {
        Map<String, Object> byStatus = new LinkedHashMap<>();
        byStatus.put("PENDING", 0L);
        byStatus.put("SYNCED", 0L);
        byStatus.put("FAILED", 0L);
        byStatus.put("CANCELLED", 0L);
        try {
            byStatus.putAll(counts.byStatus());
            byStatus.forEach((k, v) -> metrics.gauge("aggregator_orders", "Orders by status", "status", k, (Long) v));
        } catch (RuntimeException e) {
            LOG.debug("Order counts unavailable: {}", e.getMessage());
        }
        return byStatus;
    }

    private Map<String, Object> webhooks() {
        try {
            Map<String, Object> c = webhooks.get();
            c.forEach((state, n) -> metrics.gauge("aggregator_webhooks", "Webhook events still being tried (pending) and kept as failed",
                    "state", state, ((Number) n).longValue()));
            return c;
        } catch (RuntimeException e) {
            LOG.debug("Webhook counts unavailable: {}", e.getMessage());
            return Map.of();
        }
    }

    private Map<String, Object> rates() {
        try {
            return new LinkedHashMap<>(jdbc.queryForMap(ClasspathText.load("sql/ops/order-rates.sql"), Map.of()));
        } catch (RuntimeException e) {
            return Map.of();
        }
    }

    private List<Map<String, Object>> vendors() {
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (Map<String, Object> row : jdbc.queryForList(ClasspathText.load("sql/ops/vendor-overview.sql"), Map.of())) {
                Map<String, Object> v = new LinkedHashMap<>(row);
                Object lastSuccess = v.get("lastSuccessAt");
                v.replaceAll((field, value) -> value instanceof Timestamp ? Timestamps.iso(value) : value);
                if (lastSuccess instanceof Timestamp t) {
                    long lag = Duration.between(t.toInstant(), Instant.now()).toSeconds();
                    v.put("syncLagSeconds", lag);
                    metrics.gauge("aggregator_sync_lag_seconds", "Seconds since the vendor's last successful poll", "vendor",
                            (String) v.get("vendor"), lag);
                }
                out.add(v);
            }
        } catch (RuntimeException e) {
            LOG.debug("Vendor status unavailable: {}", e.getMessage());
        }
        return out;
    }

}
