package dev.aggregator.order;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.aggregator.config.ClasspathText;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Orders by status without counting millions of rows on every call: exact while the table is small; above
 * that, PENDING and FAILED stay exact (index-only scans of few rows) and SYNCED is PostgreSQL's estimate of
 * the table's rows minus those two, as fresh as its last ANALYZE.
 */
public class OrderCounts {

    /** Below this many rows (PostgreSQL's estimate) every count is exact. */
    static final long EXACT_BELOW = 100_000;

    private final NamedParameterJdbcTemplate jdbc;

    public OrderCounts(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    public Map<String, Long> byStatus() {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("PENDING", 0L);
        counts.put("SYNCED", 0L);
        counts.put("FAILED", 0L);
        counts.put("CANCELLED", 0L);
        Map<String, Object> row = jdbc.queryForMap(ClasspathText.load("sql/order/count-orders.sql"), Map.of());
        long estimated = ((Number) row.get("estimated_rows")).longValue();
        if (estimated < EXACT_BELOW) {
            for (Map<String, Object> r : jdbc.queryForList(ClasspathText.load("sql/order/count-all-orders.sql"), Map.of())) {
                counts.put((String) r.get("status"), ((Number) r.get("n")).longValue());
            }
            return counts;
        }
        return estimate(estimated, ((Number) row.get("pending")).longValue(), ((Number) row.get("failed")).longValue(),
                ((Number) row.get("cancelled")).longValue());
    }

    static Map<String, Long> estimate(long estimatedRows, long pending, long failed, long cancelled) {
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("PENDING", pending);
        counts.put("SYNCED", Math.max(estimatedRows - pending - failed - cancelled, 0));
        counts.put("FAILED", failed);
        counts.put("CANCELLED", cancelled);
        return counts;
    }

    /** All orders (status null) or those of one status. */
    public long total(String status) {
        Map<String, Long> counts = byStatus();
        return status == null ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.getOrDefault(status, 0L);
    }
}
