package dev.aggregator.delivery;

import dev.aggregator.support.OrderLog;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.vendor.VendorAccess;
import dev.aggregator.vendor.VendorRegistry;
import dev.aggregator.support.DeadLetterHeaders;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivery of one order to its vendor (the seed's localToExternal): what to send, and what the vendor's
 * answer does to the order and the stock. Every status change is guarded by status = 'PENDING', so a
 * redelivered message for a finished order changes nothing and sends nothing.
 */
public class OrderDelivery {

    public static final String PENDING = "orderPending";
    public static final String ORDER_ID = "orderId";
    public static final String VENDOR = "vendor";
    public static final String PRODUCT_ID = "productId";
    public static final String QUANTITY = "quantity";
    public static final String PUT_URL = "vendorPutUrl";
    public static final String ATTEMPTS = "deliveryAttempts";
    public static final String DEAD_LETTER_NOW = "deadLetterNow";
    static final String DEAD_LETTER_ROW = "deadLetterRow";
    static final String PUT_STARTED = "vendorPutStarted";
    /** How old the order was when its message was read (the database's clock), and when that was (ours). */
    static final String AGE_SECONDS = "orderAgeSeconds";
    static final String AGE_READ_AT = "orderAgeReadAt";

    private static final Logger LOG = LoggerFactory.getLogger(OrderDelivery.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final VendorRegistry vendors;
    private final ObjectMapper json;
    private final dev.aggregator.support.Metrics metrics;

    public OrderDelivery(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, VendorRegistry vendors, ObjectMapper json,
                         dev.aggregator.support.Metrics metrics) {
        this.metrics = metrics;
        this.jdbc = jdbc;
        this.tx = tx;
        this.vendors = vendors;
        this.json = json;
    }

    /** Reads the message and the order: is it still PENDING, and where does its PUT go (exchange properties). */
    public void prepare(Exchange exchange) {
        UUID orderId = OrderMessage.read(json, exchange.getMessage().getBody(byte[].class)).orderId();
        exchange.setProperty(ORDER_ID, orderId.toString());
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/delivery/order-to-deliver.sql"), Map.of("orderId", orderId));
        if (rows.isEmpty()) {
            throw new InvalidOrderMessageException("order " + orderId + " does not exist");
        }
        Map<String, Object> order = rows.get(0);
        exchange.setProperty(AGE_SECONDS, ((Number) order.get("age_seconds")).doubleValue());
        exchange.setProperty(AGE_READ_AT, System.nanoTime());
        String vendor = (String) order.get("vendor");
        String productId = (String) order.get("product_id");
        int quantity = ((Number) order.get("quantity")).intValue();
        exchange.setProperty(VENDOR, vendor);
        exchange.setProperty(PRODUCT_ID, productId);
        exchange.setProperty(QUANTITY, quantity);
        boolean pending = "PENDING".equals(order.get("status"));
        exchange.setProperty(PENDING, pending);
        if (!pending) {
            log(orderId.toString(), vendor, "Redelivered message for an order already {}: acknowledged, nothing sent", order.get("status"));
            return;
        }
        VendorAccess access = vendors.access(vendor).orElseThrow(() -> new VendorGoneException(vendor));
        exchange.setProperty(PUT_URL, access.putUrl(productId));
    }

    /** The PUT's JSON body (the contract asks for at least orderId and quantity). */
    public String putBody(@ExchangeProperty(ORDER_ID) String orderId, @ExchangeProperty(PRODUCT_ID) String productId,
                          @ExchangeProperty(QUANTITY) int quantity) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", orderId);
        body.put("productId", productId);
        body.put("quantity", quantity);
        return json.writeValueAsString(body);
    }

    /** How long the order has existed, in milliseconds, from the age read with it. */
    static double ageMillis(Exchange exchange) {
        Double age = exchange.getProperty(AGE_SECONDS, Double.class);
        Long readAt = exchange.getProperty(AGE_READ_AT, Long.class);
        if (age == null || readAt == null) {
            return 0;
        }
        return age * 1000 + (System.nanoTime() - readAt) / 1e6;
    }

    /** The vendor confirmed (2xx): SYNCED, and the units leave our reservation and the stock number. */
    public void confirmed(Exchange exchange) {
        String orderId = exchange.getProperty(ORDER_ID, String.class);
        int attempts = attemptsSoFar(exchange);
        Long started = exchange.getProperty(PUT_STARTED, Long.class);
        if (started != null) {
            metrics.vendorPut(exchange.getProperty(VENDOR, String.class), "success", System.nanoTime() - started);
        }
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("orderId", UUID.fromString(orderId))
                .addValue("attempts", attempts);
        List<Map<String, Object>> changed = jdbc.queryForList(ClasspathText.load("sql/order/confirm-order.sql"), p);
        String vendor = exchange.getProperty(VENDOR, String.class);
        if (changed.isEmpty()) {
            log(orderId, vendor, "Vendor confirmed an order that is already SYNCED: left as it is", null);
        } else if ("FAILED".equals(changed.get(0).get("was"))) {
            metrics.orderFinished(vendor, "SYNCED");
            LOG.warn("Order {} was FAILED by another copy of its message, but the vendor accepted it (attempt {}): SYNCED, "
                    + "its units leave the vendor's stock; its dead letter, if any, can be discarded", orderId, attempts);
        } else {
            metrics.orderFinished(vendor, "SYNCED");
            log(orderId, vendor, "Order SYNCED: vendor confirmed after {} attempt(s)", attempts);
        }
    }

    /**
     * Sets the dead letter's headers (order id, reason, attempts, time) on the original message, which
     * onException restored, so the dead letter carries exactly what was queued.
     */
    public void deadLetterHeaders(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        int attempts = attemptsSoFar(exchange);
        var out = exchange.getMessage();
        String orderId = exchange.getProperty(ORDER_ID, String.class);
        if (orderId != null) {
            out.setHeader(DeadLetterHeaders.ORDER_ID, orderId);
        }
        out.setHeader(DeadLetterHeaders.REASON, reason(exchange, failure));
        out.setHeader(DeadLetterHeaders.ATTEMPTS, attempts);
        // the letter's id and time now: failed() stores them with the letter (dead_letter_outbox)
        dev.aggregator.support.DeadLetterRoutes.stamp(exchange);
        if (exchange.getProperty(VENDOR) != null) {
            out.setHeader(DeadLetterHeaders.VENDOR, exchange.getProperty(VENDOR, String.class));
        }
    }

    /**
     * Delivery gave up: FAILED, and its reserved units go back, in one transaction. Sets DEAD_LETTER_NOW
     * when this call made the change (or the message names no order), i.e. when a dead letter is due.
     */
    public void failed(Exchange exchange) {
        String orderId = exchange.getProperty(ORDER_ID, String.class);
        Object caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT);
        if (orderId == null || caught instanceof InvalidOrderMessageException && !(caught instanceof VendorGoneException)) {
            exchange.setProperty(DEAD_LETTER_NOW, true);
            return;
        }
        String reason = exchange.getMessage().getHeader(DeadLetterHeaders.REASON, String.class);
        int attempts = attemptsSoFar(exchange);
        Boolean changed = tx.execute(status -> {
            MapSqlParameterSource p = new MapSqlParameterSource()
                    .addValue("orderId", UUID.fromString(orderId))
                    .addValue("attempts", attempts)
                    .addValue("reason", reason);
            List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/mark-failed.sql"), p);
            if (rows.isEmpty()) {
                return false;
            }
            Map<String, Object> row = rows.get(0);
            p.addValue("vendor", row.get("vendor")).addValue("productId", row.get("product_id")).addValue("quantity", row.get("quantity"));
            jdbc.update(ClasspathText.load("sql/order/release-reservation.sql"), p);
            // The letter is kept with the status change: published after the commit, and by the relay if
            // that publish never gets confirmed (a FAILED order without a letter could not be replayed).
            p.addValue("letterId", exchange.getMessage().getHeader(DeadLetterHeaders.ID, String.class))
                    .addValue("payload", exchange.getMessage().getBody(String.class));
            Map<String, Object> letter = jdbc.queryForMap(ClasspathText.load("sql/delivery/insert-dead-letter.sql"), p);
            exchange.setProperty(DEAD_LETTER_ROW, ((Number) letter.get("id")).longValue());
            return true;
        });
        exchange.setProperty(DEAD_LETTER_NOW, Boolean.TRUE.equals(changed));
        if (Boolean.TRUE.equals(changed)) {
            metrics.orderFinished(exchange.getProperty(VENDOR, String.class), "FAILED");
            log(orderId, exchange.getProperty(VENDOR, String.class), "Order FAILED after {} attempt(s), stock released: " + reason, attempts);
        }
    }

    /** Called each time the vendor call starts, first try and redeliveries alike. */
    public void countAttempt(Exchange exchange) {
        exchange.setProperty(ATTEMPTS, attemptsSoFar(exchange) + 1);
        exchange.setProperty(Lanes.COUNTED_ATTEMPTS, Lanes.countedAttempts(exchange) + 1);
        exchange.setProperty(PUT_STARTED, System.nanoTime());
    }

    /** A vendor call failed: its latency and outcome (transient or permanent) per vendor. */
    public void putFailed(Exchange exchange) {
        Long started = exchange.getProperty(PUT_STARTED, Long.class);
        if (started == null) {
            return; // the failure came before any vendor call (e.g. an unusable message)
        }
        Throwable failure = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        metrics.vendorPut(exchange.getProperty(VENDOR, String.class),
                DeliveryFailures.isTransient(failure) ? "transient" : "permanent", System.nanoTime() - started);
        exchange.removeProperty(PUT_STARTED);
    }

    /** The broker confirmed the dead letter: its copy in dead_letter_outbox is no longer needed. */
    public void letterSent(Exchange exchange) {
        Long row = exchange.getProperty(DEAD_LETTER_ROW, Long.class);
        if (row != null) {
            jdbc.update(ClasspathText.load("sql/delivery/delete-dead-letter.sql"), Map.of("ids", List.of(row)));
        }
    }

    /** Before each redelivery: one line with the order id, so grep tells the whole story. */
    public void retrying(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        log(exchange.getProperty(ORDER_ID, String.class), exchange.getProperty(VENDOR, String.class),
                "Attempt " + attemptsSoFar(exchange) + " failed ({}); retrying", reason(exchange, failure));
    }

    /** Why the call failed, with the vendor's secrets hidden (a time-out names the URL, query and all). */
    private String reason(Exchange exchange, Throwable failure) {
        return vendors.redact(exchange.getProperty(VENDOR, String.class), DeliveryFailures.reason(failure));
    }

    /** PUTs made in this delivery so far. */
    static int attemptsSoFar(Exchange exchange) {
        return exchange.getProperty(ATTEMPTS, 0, Integer.class);
    }

    private static void log(String orderId, String vendor, String message, Object arg) {
        OrderLog.info(LOG, orderId, vendor, message, arg);
    }
}
