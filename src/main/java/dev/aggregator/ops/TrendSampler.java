package dev.aggregator.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.aggregator.delivery.Lanes;
import dev.aggregator.support.Metrics;

/**
 * Reads what the trend charts plot, on the trends timer: the product's counters (Metrics), each lane's
 * breaker (in memory), and the queue depths OpsOverview last read. The depths are not read again here: the
 * broker is asked on the overview's own period, not once more per trend sample.
 */
public class TrendSampler {

    private final Trends trends;
    private final Metrics metrics;
    private final Lanes lanes;
    private final OpsOverview overview;

    public TrendSampler(Trends trends, Metrics metrics, Lanes lanes, OpsOverview overview) {
        this.trends = trends;
        this.metrics = metrics;
        this.lanes = lanes;
        this.overview = overview;
    }

    public void sample() {
        Map<String, String> breakers = new LinkedHashMap<>();
        lanes.snapshot().forEach((vendor, lane) -> breakers.put(vendor, String.valueOf(lane.get("breaker"))));
        trends.record(Instant.now(), new Trends.Reading(
                metrics.count("aggregator_orders_accepted", null, null),
                metrics.count("aggregator_orders_finished", "status", "SYNCED"),
                metrics.count("aggregator_orders_finished", "status", "FAILED"),
                metrics.count("aggregator_products_synced", null, null),
                breakers, queueDepths(overview.latest())));
    }

    /** The shared queues by name, and each vendor's lane queue as "lane vendor". */
    @SuppressWarnings("unchecked")
    static Map<String, Long> queueDepths(Map<String, Object> snapshot) {
        Map<String, Long> depths = new LinkedHashMap<>();
        if (snapshot.get("queues") instanceof Map<?, ?> queues) {
            queues.forEach((q, n) -> {
                if (n instanceof Number d) {
                    depths.put(String.valueOf(q), d.longValue());
                }
            });
        }
        if (snapshot.get("lanes") instanceof Map<?, ?> laneMap) {
            laneMap.forEach((vendor, lane) -> {
                if (lane instanceof Map<?, ?> l && l.get("queued") instanceof Number d) {
                    depths.put("lane " + vendor, d.longValue());
                }
            });
        }
        return depths;
    }
}
