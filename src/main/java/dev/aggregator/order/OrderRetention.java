package dev.aggregator.order;

import dev.aggregator.config.ClasspathText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * aggregator.orders.retention-days: SYNCED and FAILED orders older than that are deleted, in batches so no
 * statement holds many locks or runs long. Off (0) by default: orders are the business's record.
 */
public class OrderRetention {

    private static final Logger LOG = LoggerFactory.getLogger(OrderRetention.class);
    private static final int BATCH = 5_000;
    private static final int MAX_BATCHES_PER_RUN = 100;

    private final NamedParameterJdbcTemplate jdbc;
    private final int days;

    public OrderRetention(NamedParameterJdbcTemplate jdbc, int days) {
        this.jdbc = jdbc;
        this.days = days;
    }

    public boolean enabled() {
        return days > 0;
    }

    /** One run: deletes up to MAX_BATCHES_PER_RUN batches; returns how many orders went. */
    public int purge() {
        if (!enabled()) {
            return 0;
        }
        MapSqlParameterSource p = new MapSqlParameterSource("days", days).addValue("batch", BATCH);
        int total = 0;
        for (int i = 0; i < MAX_BATCHES_PER_RUN; i++) {
            int n = jdbc.update(ClasspathText.load("sql/order/purge-finished.sql"), p);
            total += n;
            if (n < BATCH) {
                break;
            }
        }
        if (total > 0) {
            LOG.info("Retention: deleted {} finished orders created more than {} days ago", total, days);
        }
        return total;
    }
}
