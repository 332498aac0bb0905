package dev.aggregator.stock;

import java.util.List;

import dev.aggregator.config.ClasspathText;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delisting from what was upserted, not from what was polled (issue 25). A poll's products reach the database
 * through the queue, later and in any order: each applied message counts its products for its poll
 * (vendor, fetch time), and the poll, once every page is read, says how many it queued. When the two meet the
 * poll is whole, and at once the vendor's products whose last listing is older than it go to stock 0.
 *
 * Before, a poll delisted what the previous poll had not listed, assuming a poll period was time enough for its
 * upserts: with a backlog in sync_from_external listed products dropped to stock 0 (orders 409) until their
 * upserts landed; and a product dropped by the vendor stayed orderable while the vendor answered 304, since a
 * 304 ended the poll before its delisting step.
 *
 * A message applied twice (a redelivery after its count committed and before its ack) counts twice, which can
 * make a poll whole early: products whose upserts are still queued show stock 0 until they land. A poll whose
 * message was dead-lettered whole never becomes whole; the vendor's next whole poll delists instead.
 */
public class PollProgress {

    /** The applied message's poll (its envelope's fetchedAt, as the poll wrote it) and its product count. */
    public static final String FETCHED_AT = "envelopeFetchedAt";
    public static final String PRODUCTS = "envelopeProducts";
    private static final Logger LOG = LoggerFactory.getLogger(PollProgress.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;

    public PollProgress(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx) {
        this.jdbc = jdbc;
        this.tx = tx;
    }

    /** stock-upsert: the message's products are stored or dead-lettered. */
    public void applied(Exchange exchange) {
        String vendor = exchange.getProperty(ProductNormalizer.VENDOR, String.class);
        String fetchedAt = exchange.getProperty(FETCHED_AT, String.class);
        Integer count = exchange.getProperty(PRODUCTS, Integer.class);
        if (vendor == null || fetchedAt == null || count == null) {
            return;
        }
        count("sql/stock/progress-applied.sql", params(vendor, fetchedAt).addValue("count", count));
    }

    /** The poll read every page and queued this many products. */
    public void complete(String vendor, String fetchedAt, int queued) {
        count("sql/stock/progress-complete.sql", params(vendor, fetchedAt).addValue("queued", queued));
    }

    /**
     * The vendors as they are now (after VendorFiles' first scan, and every change): the products of any other
     * vendor are delisted. A removed vendor's products showed their stock while its orders were answered 404.
     */
    public void vendorsNow(List<dev.aggregator.config.VendorConfig> vendors) {
        String names = String.join(",", vendors.stream().map(dev.aggregator.config.VendorConfig::name).toList());
        try {
            int delisted = jdbc.update(ClasspathText.load("sql/stock/delist-removed-vendors.sql"), new MapSqlParameterSource("vendors", names));
            if (delisted > 0) {
                LOG.info("{} products of vendors no longer configured are delisted (stock 0)", delisted);
            }
        } catch (RuntimeException e) {
            LOG.warn("Products of vendors no longer configured could not be delisted now ({}); the next vendor change tries again", e.getMessage());
        }
    }

    private void count(String sql, MapSqlParameterSource p) {
        tx.executeWithoutResult(status -> {
            List<Boolean> whole = jdbc.query(ClasspathText.load(sql), p, (rs, i) -> rs.getBoolean("whole"));
            if (!whole.isEmpty() && whole.get(0)) {
                int delisted = jdbc.update(ClasspathText.load("sql/stock/delist-unseen.sql"), p);
                jdbc.update(ClasspathText.load("sql/stock/progress-delisted.sql"), p);
                if (delisted > 0) {
                    LOG.info("Vendor {}: {} products its poll of {} no longer lists are delisted (stock 0)", p.getValue("vendor"),
                            delisted, p.getValue("fetchedAt"));
                }
            }
        });
    }

    private static MapSqlParameterSource params(String vendor, String fetchedAt) {
        return new MapSqlParameterSource().addValue("vendor", vendor).addValue("fetchedAt", fetchedAt);
    }
}
