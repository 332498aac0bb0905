package dev.aggregator.ops;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.stock.CatalogReader;
import dev.aggregator.stock.PollFailures;
import dev.aggregator.support.Metrics;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Records each poll's outcome per vendor: in the database for the dashboard, the sync lag and the whole
 * cluster, and in memory for this instance's /health. Best effort: a poll must never fail because its
 * bookkeeping could not be written.
 */
public class VendorStatus {

    /** The failed poll's reason in one line, secrets hidden: logged and recorded. */
    public static final String POLL_ERROR = "pollError";
    private static final Logger LOG = LoggerFactory.getLogger(VendorStatus.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final Metrics metrics;
    private final VendorRegistry vendors;
    private final dev.aggregator.stock.PollProgress progress;
    private final Map<String, Map<String, Object>> lastPolls = new ConcurrentHashMap<>();

    public VendorStatus(NamedParameterJdbcTemplate jdbc, Metrics metrics, VendorRegistry vendors, dev.aggregator.stock.PollProgress progress) {
        this.progress = progress;
        this.jdbc = jdbc;
        this.metrics = metrics;
        this.vendors = vendors;
    }

    public void succeeded(Exchange exchange) {
        String vendor = exchange.getProperty(CatalogReader.VENDOR, String.class);
        long durationMs = System.currentTimeMillis() - exchange.getClock().getCreated();
        if (exchange.getProperty(CatalogReader.NOT_MODIFIED, false, Boolean.class)) {
            metrics.pollFinished(vendor, "not_modified");
            remember(vendor, "not_modified", null);
            write("sql/ops/poll-not-modified.sql", params(exchange).addValue("durationMs", durationMs));
            return;
        }
        metrics.pollFinished(vendor, "success");
        remember(vendor, "success", null);
        int products = exchange.getProperty(CatalogReader.PRODUCTS, 0, Integer.class);
        write("sql/ops/poll-succeeded.sql", params(exchange)
                .addValue("products", products)
                .addValue("durationMs", durationMs)
                .addValue("etag", exchange.getProperty(CatalogReader.ETAG, String.class))
                .addValue("lastModified", exchange.getProperty(CatalogReader.LAST_MODIFIED, String.class))
                .addValue("validatorKey", exchange.getProperty(CatalogReader.VALIDATOR_KEY, String.class))
                .addValue("pages", exchange.getProperty(CatalogReader.PAGES, 0, Integer.class)));
        // Every page was read and queued: once its products are applied, what it did not list is delisted.
        try {
            progress.complete(vendor, exchange.getProperty(CatalogReader.FETCHED_AT, String.class), products);
        } catch (RuntimeException e) {
            LOG.warn("Poll of vendor {} could not be recorded complete ({}): its delisting waits for the next poll", vendor, e.getMessage());
        }
    }

    /** Says what went wrong (POLL_ERROR), with the vendor's secrets hidden, and records it. */
    public void failed(Exchange exchange) {
        String vendor = exchange.getProperty(CatalogReader.VENDOR, String.class);
        metrics.pollFinished(vendor, "failure");
        String reason = vendors.redact(vendor, PollFailures.describe(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)));
        exchange.setProperty(POLL_ERROR, reason);
        remember(vendor, "failure", reason);
        write("sql/ops/poll-failed.sql", params(exchange).addValue("error", reason));
    }

    /** This instance's last poll of each vendor (outcome, when, the error): for /health. */
    public Map<String, Map<String, Object>> lastPolls() {
        return new TreeMap<>(lastPolls);
    }

    /** Each vendor's lane state with this instance's last poll of it under "poll" (vendors in either). */
    public static Map<String, Map<String, Object>> withPolls(Map<String, Map<String, Object>> lanes,
                                                            Map<String, Map<String, Object>> polls) {
        Map<String, Map<String, Object>> all = new TreeMap<>();
        lanes.forEach((vendor, lane) -> all.put(vendor, new LinkedHashMap<>(lane)));
        polls.forEach((vendor, poll) -> all.computeIfAbsent(vendor, v -> new LinkedHashMap<>()).put("poll", poll));
        return all;
    }

    /**
     * The vendor files' states with, on a loaded file whose vendor's last poll found its mapping yields no
     * product, that error as "mappingError": the file loaded, but it is the file that is wrong (issue 24, item 7).
     */
    public static Map<String, Object> withMappingErrors(Map<String, ?> files, Map<String, Map<String, Object>> polls) {
        Map<String, Object> all = new TreeMap<>();
        files.forEach((file, state) -> {
            if (!(state instanceof Map<?, ?> s) || !(s.get("vendors") instanceof java.util.List<?> names)) {
                all.put(file, state);
                return;
            }
            Map<Object, Object> copy = new LinkedHashMap<>(s);
            for (Object vendor : names) {
                Object error = polls.getOrDefault(String.valueOf(vendor), Map.of()).get("lastError");
                if (error != null && error.toString().contains(CatalogReader.NO_PRODUCT_FROM_MAPPING)) {
                    copy.put("mappingError", vendor + ": " + error);
                }
            }
            all.put(file, copy);
        });
        return all;
    }

    private void remember(String vendor, String outcome, String error) {
        Map<String, Object> poll = new LinkedHashMap<>();
        poll.put("outcome", outcome);
        poll.put("at", Instant.now().toString());
        if (error != null) {
            poll.put("lastError", error);
        }
        lastPolls.put(vendor, poll);
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
