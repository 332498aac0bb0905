package dev.aggregator.ops;

import dev.aggregator.support.Metrics;


import dev.aggregator.config.ClasspathText;
import dev.aggregator.stock.CatalogReader;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Records each poll's outcome per vendor (dashboard, sync lag). Best effort: a poll must never fail
 * because its bookkeeping could not be written.
 */
public class VendorStatus {

    private static final Logger LOG = LoggerFactory.getLogger(VendorStatus.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final Metrics metrics;

    public VendorStatus(NamedParameterJdbcTemplate jdbc, Metrics metrics) {
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    public void succeeded(Exchange exchange) {
        String vendor = exchange.getProperty(CatalogReader.VENDOR, String.class);
        metrics.pollFinished(vendor, true);
        long started = exchange.getClock().getCreated();
        // Every page was read: first delist what the previous complete poll did not list, then record
        // this poll as the one the next compares with.
        write("sql/stock/delist-unseen.sql", params(exchange));
        write("sql/ops/poll-succeeded.sql", params(exchange)
                .addValue("products", exchange.getProperty(CatalogReader.PRODUCTS, 0, Integer.class))
                .addValue("durationMs", System.currentTimeMillis() - started)
                .addValue("fetchedAt", exchange.getProperty(CatalogReader.FETCHED_AT, String.class)));
    }

    public void failed(Exchange exchange) {
        String vendor = exchange.getProperty(CatalogReader.VENDOR, String.class);
        metrics.pollFinished(vendor, false);
        Throwable e = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        write("sql/ops/poll-failed.sql", params(exchange).addValue("error", e == null ? "unknown" : String.valueOf(e.getMessage())));
    }

    private static MapSqlParameterSource params(Exchange exchange) {
        return new MapSqlParameterSource()
                .addValue("vendor", exchange.getProperty(CatalogReader.VENDOR, String.class))
                .addValue("url", exchange.getProperty(CatalogReader.VENDOR_URL, String.class));
    }

    private void write(String sql, MapSqlParameterSource p) {
        try {
            jdbc.update(ClasspathText.load(sql), p);
        } catch (RuntimeException e) {
            LOG.debug("Vendor status not recorded: {}", e.getMessage());
        }
    }

}
