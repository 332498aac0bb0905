package dev.aggregator.delivery;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.DeadLetterHeaders;
import dev.aggregator.support.Metrics;
import dev.aggregator.support.OrderLog;
import dev.aggregator.support.Jq;
import dev.aggregator.vendor.VendorAccess;
import dev.aggregator.vendor.VendorRegistry;
import dev.aggregator.webhook.WebhookOutbox;
import com.fasterxml.jackson.databind.JsonNode;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivery of one order to its vendor (the seed's localToExternal): what to send, and what the vendor's
 * answer does to the order and the stock. Every status change is guarded by status = 'PENDING', so a
 * redelivered message for a finished order changes nothing and sends nothing.
 *
 * Plain methods: the routes (LaneRoutes, DeliveryRoutes) hand each one what it needs through Camel's
 * parameter binding and keep what it answers; none of them reads or writes the exchange itself.
 */
public class OrderDelivery {

    /** Exchange properties of a delivery, set by the routes. */
    public static final String ORDER_ID = "orderId";
    public static final String VENDOR = "vendor";
    /** The OrderToDeliver read when the message arrived. */
    public static final String ORDER = "orderToDeliver";
    public static final String PUT_URL = "vendorPutUrl";
    /** PUTs made in this delivery so far (0 before the first). */
    public static final String ATTEMPTS = "deliveryAttempts";
    public static final String DEAD_LETTER_NOW = "deadLetterNow";
    /** The vendor's reference for the order, from its answer (a vendor file's orderRef). */
    public static final String VENDOR_REF = "vendorRef";

    private static final Logger LOG = LoggerFactory.getLogger(OrderDelivery.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final VendorRegistry vendors;
    private final ObjectMapper json;
    private final Metrics metrics;
    private final WebhookOutbox webhooks;

    public OrderDelivery(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, VendorRegistry vendors, ObjectMapper json,
                         Metrics metrics) {
        this(jdbc, tx, vendors, json, metrics, null);
    }

    /** With the webhook outbox: SYNCED and FAILED write their order.synced / order.failed events in their transaction. */
    public OrderDelivery(NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, VendorRegistry vendors, ObjectMapper json,
                         Metrics metrics, WebhookOutbox webhooks) {
        this.webhooks = webhooks;
        this.jdbc = jdbc;
        this.tx = tx;
        this.vendors = vendors;
        this.json = json;
        this.metrics = metrics;
    }

    /** The order a lane message names (an unusable message is an InvalidOrderMessageException). */
    public String orderId(@Body byte[] message) {
        return OrderMessage.read(json, message).orderId().toString();
    }

    /** The order as it is now; a redelivered message for a finished one is logged here, once. */
    public OrderToDeliver read(@ExchangeProperty(ORDER_ID) String orderId) {
        List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/delivery/order-to-deliver.sql"),
                Map.of("orderId", UUID.fromString(orderId)));
        if (rows.isEmpty()) {
            throw new InvalidOrderMessageException("order " + orderId + " does not exist");
        }
        Map<String, Object> row = rows.get(0);
        OrderToDeliver order = new OrderToDeliver(orderId, (String) row.get("vendor"), (String) row.get("product_id"),
                ((Number) row.get("quantity")).intValue(), (String) row.get("status"),
                row.get("waited_seconds") instanceof Number w ? w.doubleValue() : null,
                ((Number) row.get("idle_seconds")).doubleValue(), System.nanoTime(), (java.math.BigDecimal) row.get("unit_price"),
                (String) row.get("name"));
        if (!order.pending()) {
            log(orderId, order.vendor(), "Redelivered message for an order already {}: acknowledged, nothing sent", order.status());
        }
        return order;
    }

    /**
     * Where the order goes: the vendor's product URL (its query kept), or its file's orderUrl (a jq
     * expression on the order, e.g. "/v1/orders/\(.orderId)"), relative to its URL or absolute. A vendor
     * removed since is VendorGone.
     */
    public String putUrl(@ExchangeProperty(ORDER) OrderToDeliver order) {
        VendorAccess access = access(order);
        Jq url = access.api().orderUrl();
        if (url == null) {
            return access.putUrl(order.productId());
        }
        JsonNode target = evaluate(url, order, "orderUrl");
        if (target == null || !target.isTextual() || target.asText().isBlank()) {
            throw new OrderRequestException("the vendor file's orderUrl gave no URL for this order");
        }
        return access.orderUrl(target.asText());
    }

    /** The request an order becomes for this vendor, as it would be sent (the admin preview shows it, secrets masked). */
    public record OrderRequest(String method, String url, Map<String, String> headers, String body) {
    }

    /** The order's request for a vendor that need not be configured yet (a vendor file being previewed). */
    public OrderRequest request(VendorAccess access, OrderToDeliver order) throws IOException {
        dev.aggregator.config.VendorApi api = access.api();
        String url;
        if (api.orderUrl() == null) {
            url = access.putUrl(order.productId());
        } else {
            JsonNode target = evaluate(api.orderUrl(), order, "orderUrl");
            if (target == null || !target.isTextual() || target.asText().isBlank()) {
                throw new OrderRequestException("the vendor file's orderUrl gave no URL for this order");
            }
            url = access.orderUrl(target.asText());
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        headers.put("Idempotency-Key", order.orderId());
        headers.putAll(access.headers());
        headers.putAll(api.orderHeaders());
        String body;
        if (api.orderBody() != null) {
            JsonNode b = evaluate(api.orderBody(), order, "orderBody");
            body = b == null ? "" : b.isTextual() ? b.asText() : json.writeValueAsString(b);
        } else {
            body = putBody(order);
        }
        return new OrderRequest(api.orderMethod(), url, headers, body);
    }

    /** The call's method: PUT, or the vendor file's orderMethod. */
    public String method(@ExchangeProperty(ORDER) OrderToDeliver order) {
        // (a vendor gone since is found out by putUrl, before this)
        return vendors.access(order.vendor()).map(a -> a.api().orderMethod()).orElse("PUT");
    }

    /** The vendor file's own order headers, on top of its credentials. */
    public void orderHeaders(@ExchangeProperty(ORDER) OrderToDeliver order, org.apache.camel.Message message) {
        vendors.access(order.vendor()).ifPresent(a -> a.api().orderHeaders().forEach(message::setHeader));
    }

    /**
     * The call's JSON body: the contract's (orderId, productId, quantity), or the vendor file's orderBody,
     * a jq expression on the order {orderId, vendor, productId, quantity, unitPrice, name}.
     */
    public String putBody(@ExchangeProperty(ORDER) OrderToDeliver order) throws IOException {
        Jq template = vendors.access(order.vendor()).map(a -> a.api().orderBody()).orElse(null);
        if (template != null) {
            JsonNode body = evaluate(template, order, "orderBody");
            return body == null ? "" : body.isTextual() ? body.asText() : json.writeValueAsString(body);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("orderId", order.orderId());
        body.put("productId", order.productId());
        body.put("quantity", order.quantity());
        return json.writeValueAsString(body);
    }

    /**
     * The vendor's reference for the order, read from its answer by the vendor file's orderRef (JSON, or
     * XML read as the same tree); null when there is no expression or it finds nothing. Never fails the
     * order: the vendor has accepted it.
     */
    public String vendorRef(@ExchangeProperty(ORDER) OrderToDeliver order, @Body String answer,
                            @Header(Exchange.CONTENT_TYPE) String contentType, @ExchangeProperty(ROUTE_VENDOR_REF_GIVEN) String given) {
        if (given != null) {
            return given;
        }
        return refIn(order, answer, contentType);
    }

    /**
     * The vendor's reference when its refusal carried one (a 409 naming the order it already has, an order
     * route's vendorRef header): kept on the order and on its dead letter (x-vendor-ref), so the operator can
     * look the order up at the vendor. Sets the header only when there is one.
     */
    public void refusalRef(Exchange exchange) {
        String ref = exchange.getProperty(ROUTE_VENDOR_REF_GIVEN, String.class);
        OrderToDeliver order = exchange.getProperty(ORDER, OrderToDeliver.class);
        Throwable caught = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        org.apache.camel.http.base.HttpOperationFailedException h = caught == null ? null
                : org.apache.camel.util.ObjectHelper.getException(org.apache.camel.http.base.HttpOperationFailedException.class, caught);
        if (ref == null && order != null && h != null) {
            String type = h.getResponseHeaders() == null ? null : h.getResponseHeaders().entrySet().stream()
                    .filter(e -> e.getKey().equalsIgnoreCase("Content-Type")).map(Map.Entry::getValue).findFirst().orElse(null);
            ref = refIn(order, h.getResponseBody(), type);
        }
        if (ref != null) {
            exchange.getMessage().setHeader(DeadLetterHeaders.VENDOR_REF, ref);
        }
    }

    private String refIn(OrderToDeliver order, String answer, String contentType) {
        Jq ref = vendors.access(order.vendor()).map(a -> a.api().orderRef()).orElse(null);
        if (ref == null || answer == null || answer.isBlank()) {
            return null;
        }
        try {
            JsonNode tree = contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).contains("xml")
                    ? XML.readTree(answer) : json.readTree(answer);
            JsonNode value = ref.first(tree);
            String text = value == null ? null : value.isValueNode() ? value.asText() : value.toString();
            return text == null || text.isBlank() ? null : text.length() > 200 ? text.substring(0, 200) : text;
        } catch (IOException | IllegalArgumentException e) {
            log(order.orderId(), order.vendor(), "Vendor answered the order; its reference could not be read from the answer: {}", e.getMessage());
            return null;
        }
    }

    /** Exchange properties an order route reads (README "A vendor of its own"). */
    public static final String ROUTE_ORDER = "order";
    public static final String ROUTE_ORDER_URL = "orderUrl";
    public static final String ROUTE_ORDER_METHOD = "orderMethod";
    /** The header an order route may set to give the vendor's reference itself (instead of the file's orderRef). */
    public static final String ROUTE_VENDOR_REF = "vendorRef";

    /**
     * Before an order route: the order as properties (order: orderId, vendor, productId, quantity, unitPrice,
     * name; orderUrl and orderMethod: where and how the built-in call would send it), and out of the Camel
     * HTTP headers, so an http: call of the route goes where the route says.
     */
    public void toRoute(Exchange exchange) {
        var message = exchange.getMessage();
        OrderToDeliver order = exchange.getProperty(ORDER, OrderToDeliver.class);
        exchange.setProperty(ROUTE_ORDER_URL, message.getHeader(Exchange.HTTP_URI));
        exchange.setProperty(ROUTE_ORDER_METHOD, message.getHeader(Exchange.HTTP_METHOD));
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("orderId", order.orderId());
        o.put("vendor", order.vendor());
        o.put("productId", order.productId());
        o.put("quantity", order.quantity());
        o.put("unitPrice", order.unitPrice());
        o.put("name", order.name());
        exchange.setProperty(ROUTE_ORDER, o);
        message.removeHeaders("CamelHttp*");
    }

    /**
     * An order route's answer, read as the vendor's HTTP answer: a CamelHttpResponseCode outside the file's
     * orderAccepted fails as that answer would (5xx and 429 retried, its Retry-After obeyed; others FAILED with
     * the body as the reason); none means accepted. Its vendorRef header, if set, is the vendor's reference.
     */
    public void answered(Exchange exchange) throws org.apache.camel.http.base.HttpOperationFailedException {
        var message = exchange.getMessage();
        Integer status = message.getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        OrderToDeliver order = exchange.getProperty(ORDER, OrderToDeliver.class);
        dev.aggregator.config.VendorApi api = vendors.access(order.vendor()).map(VendorAccess::api).orElse(dev.aggregator.config.VendorApi.DEFAULT);
        String given = message.getHeader(ROUTE_VENDOR_REF, String.class);
        if (given != null && !given.isBlank()) {
            exchange.setProperty(ROUTE_VENDOR_REF_GIVEN, given.length() > 200 ? given.substring(0, 200) : given);
        }
        if (status != null && !api.accepts(status)) {
            Map<String, String> headers = new LinkedHashMap<>();
            message.getHeaders().forEach((k, v) -> {
                if (v != null && !k.startsWith("Camel")) {
                    headers.put(k, String.valueOf(v));
                }
            });
            // no status text: a route that turns a vendor's 200 into a refusal would leave the 200's "OK" there
            throw new org.apache.camel.http.base.HttpOperationFailedException(api.orderRoute(), status,
                    null, message.getHeader("Location", String.class),
                    headers, message.getBody(String.class));
        }
    }

    static final String ROUTE_VENDOR_REF_GIVEN = "vendorRefGiven";

    private static final com.fasterxml.jackson.dataformat.xml.XmlMapper XML = new com.fasterxml.jackson.dataformat.xml.XmlMapper();

    private VendorAccess access(OrderToDeliver order) {
        return vendors.access(order.vendor()).orElseThrow(() -> new VendorGoneException(order.vendor()));
    }

    /** A vendor file's expression on the order; its failure fails the order with the reason (it is no vendor answer). */
    private JsonNode evaluate(Jq expression, OrderToDeliver order, String setting) {
        com.fasterxml.jackson.databind.node.ObjectNode input = json.createObjectNode();
        input.put("orderId", order.orderId());
        input.put("vendor", order.vendor());
        input.put("productId", order.productId());
        input.put("quantity", order.quantity());
        input.put("unitPrice", order.unitPrice());
        input.put("name", order.name());
        try {
            return expression.first(input);
        } catch (IllegalArgumentException e) {
            throw new OrderRequestException("the vendor file's " + setting + " failed: " + e.getMessage());
        }
    }

    /** The vendor confirmed (2xx): SYNCED, and the units leave our reservation and the stock number. */
    public void confirmed(@ExchangeProperty(ORDER_ID) String orderId, @ExchangeProperty(VENDOR) String vendor,
                          @ExchangeProperty(ATTEMPTS) int attempts, @ExchangeProperty(VENDOR_REF) String vendorRef,
                          @ExchangeProperty(CallSpan.TRACEPARENT) String traceparent) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("orderId", UUID.fromString(orderId))
                .addValue("attempts", attempts)
                .addValue("vendorRef", vendorRef)
                // the order.synced event is written by the same statement (one round trip, one commit)
                .addValue("webhookUrl", webhooks == null ? null : webhooks.url());
        // the confirm's own span (issue 27): Camel makes none for a bean, and this is the order's last write
        io.opentelemetry.api.trace.Span span = dev.aggregator.support.Tracing.startSpan("confirm order", traceparent);
        List<Map<String, Object>> changed;
        try (io.opentelemetry.context.Scope ignored = span.makeCurrent()) {
            span.setAttribute("order.id", orderId);
            changed = jdbc.queryForList(ClasspathText.load("sql/order/confirm-order.sql"), p);
        } finally {
            span.end();
        }
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

    /** Why delivery failed, for the order, the log and the dead letter, with the vendor's secrets hidden. */
    public String reason(@ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable failure, @ExchangeProperty(VENDOR) String vendor) {
        return vendors.redact(vendor, DeliveryFailures.reason(failure));
    }

    /**
     * Delivery gave up: FAILED, its reserved units go back, and its dead letter is kept in
     * dead_letter_outbox, in one transaction. Answers whether a dead letter is due: when this call made
     * the change, or when the message names no usable order (nothing to mark, the letter is all there is).
     */
    public boolean failed(@ExchangeProperty(ORDER_ID) String orderId, @ExchangeProperty(Exchange.EXCEPTION_CAUGHT) Throwable caught,
                          @Header(DeadLetterHeaders.REASON) String reason, @Header(DeadLetterHeaders.ATTEMPTS) int attempts,
                          @Header(DeadLetterHeaders.ID) String letterId, @Header(DeadLetterHeaders.VENDOR_REF) String vendorRef,
                          @Body String payload) {
        if (orderId == null || caught instanceof InvalidOrderMessageException && !(caught instanceof VendorGoneException)) {
            return true;
        }
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("orderId", UUID.fromString(orderId))
                .addValue("attempts", attempts)
                .addValue("reason", reason)
                .addValue("vendorRef", vendorRef);
        String vendor = tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/mark-failed.sql"), p);
            if (rows.isEmpty()) {
                return null;
            }
            Map<String, Object> row = rows.get(0);
            p.addValue("vendor", row.get("vendor")).addValue("productId", row.get("product_id")).addValue("quantity", row.get("quantity"));
            jdbc.update(ClasspathText.load("sql/order/release-reservation.sql"), p);
            // The letter is kept with the status change: published after the commit, and by the relay if
            // that publish never gets confirmed (a FAILED order without a letter could not be replayed).
            p.addValue("letterId", letterId).addValue("payload", payload);
            jdbc.update(ClasspathText.load("sql/delivery/insert-dead-letter.sql"), p);
            if (webhooks != null) {
                webhooks.orderChanged(UUID.fromString(orderId), WebhookOutbox.FAILED);
            }
            return (String) row.get("vendor");
        });
        if (vendor == null) {
            return false;
        }
        metrics.orderFinished(vendor, "FAILED");
        log(orderId, vendor, "Order FAILED after {} attempt(s), stock released: " + reason, attempts);
        return true;
    }

    /** The broker confirmed the dead letter: its copy in dead_letter_outbox is no longer needed. */
    public void letterSent(@Header(DeadLetterHeaders.ID) String letterId) {
        jdbc.update(ClasspathText.load("sql/delivery/delete-sent-letter.sql"), Map.of("letterId", letterId));
    }

    /** Before each redelivery: one line with the order id, so grep tells the whole story. */
    public void retrying(String orderId, String vendor, int attempts, Throwable failure) {
        log(orderId, vendor, "Attempt " + attempts + " failed ({}); retrying", reason(failure, vendor));
    }

    private static void log(String orderId, String vendor, String message, Object arg) {
        OrderLog.info(LOG, orderId, vendor, message, arg);
    }
}
