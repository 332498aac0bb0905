package dev.aggregator.delivery;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.config.VendorConfig;
import dev.aggregator.support.Metrics;
import dev.aggregator.vendor.VendorRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.vertx.ext.web.client.WebClientOptions;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * The delivery lanes, one per vendor, and the decisions a lane makes around each vendor call: may the call
 * go (breaker, waiting limit), and what its outcome does to the breaker and to the order's attempts.
 * Lanes start once Camel has started (YAML vendors are routes too, so they are known only then).
 */
public class Lanes implements ExtendedStartupListener {

    /** Exchange properties the lane keeps per order. */
    public static final String COUNTED_ATTEMPTS = "countedAttempts";
    /** The thread pool (registry name) that confirms answered orders, shared by the lanes. */
    public static final String WORKERS = "deliveryWorkers";
    static final String PERMIT_AT = "lanePermitAt";
    static final String WAIT_TOUCHED_AT = "laneWaitTouchedAt";
    static final String PUT_STARTED = "vendorPutStarted";

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);
    /** A waiting order's updated_at is refreshed this often, so reconciliation does not take it for lost. */
    private static final long TOUCH_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final LaneDefaults defaults;
    private final VendorRegistry vendors;
    private final QueueTopology topology;
    private final NamedParameterJdbcTemplate jdbc;
    private final Metrics metrics;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final java.util.Set<String> gauged = ConcurrentHashMap.newKeySet();

    public Lanes(LaneDefaults defaults, VendorRegistry vendors, QueueTopology topology, NamedParameterJdbcTemplate jdbc, Metrics metrics) {
        this.defaults = defaults;
        this.vendors = vendors;
        this.topology = topology;
        this.jdbc = jdbc;
        this.metrics = metrics;
    }

    public LaneDefaults defaults() {
        return defaults;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing yet: the YAML vendors' routes are all there only at the full start below
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
        if (!started.compareAndSet(false, true)) {
            return; // called again for routes added later (lanes, vendor files): those come through sync()
        }
        for (VendorConfig vendor : vendors.all()) {
            start(context, vendor);
        }
        vendors.onChange(all -> sync(context, all));
    }

    /**
     * The vendors changed while the service runs: a lane for each new vendor, and a new lane for one whose
     * rate limit, concurrency or time-out changed (its queued orders wait in the broker meanwhile). A
     * removed vendor's lane stays: its orders still queued end FAILED, stock returned, as the vendor is gone.
     */
    synchronized void sync(CamelContext context, List<VendorConfig> all) {
        for (VendorConfig vendor : all) {
            try {
                Lane existing = lanes.get(vendor.name());
                if (existing != null && !existing.sameSettings(new Lane(vendor, defaults))) {
                    stop(context, existing);
                    LOG.info("Vendor {}: delivery settings changed, lane restarted", vendor.name());
                }
                start(context, vendor);
            } catch (Exception e) {
                LOG.error("Vendor {}: delivery lane could not be (re)started: {}", vendor.name(), e.getMessage(), e);
            }
        }
    }

    private void stop(CamelContext context, Lane lane) throws Exception {
        for (String id : List.of("delivery-lane-" + lane.vendor(), "vendor-call-" + lane.vendor())) {
            if (context.getRoute(id) != null) {
                context.getRouteController().stopRoute(id);
                context.removeRoute(id);
            }
        }
        // The PUT endpoint holds the old lane's HTTP client options (pool size): made anew with the lane.
        for (org.apache.camel.Endpoint endpoint : List.copyOf(context.getEndpoints())) {
            if (endpoint.getEndpointUri().contains("//vendor-" + lane.vendor() + "?")) {
                context.removeEndpoint(endpoint);
            }
        }
        lanes.remove(lane.vendor());
    }

    /** Declares the vendor's queue and adds its lane routes (idempotent). */
    public synchronized Lane start(CamelContext context, VendorConfig vendor) throws Exception {
        Lane existing = lanes.get(vendor.name());
        if (existing != null) {
            return existing;
        }
        Lane lane = new Lane(vendor, defaults);
        topology.declareLane(lane.queue());
        add(lane);
        String name = vendor.name();
        // Read through the map: a lane restarted with new settings is a new Lane object.
        if (gauged.add(name)) {
            gauges(name);
        }
        lane.breaker().getEventPublisher().onStateTransition(e -> LOG.warn("Vendor {}: circuit breaker {} -> {}{}", vendor.name(),
                e.getStateTransition().getFromState(), e.getStateTransition().getToState(),
                e.getStateTransition().getToState() == CircuitBreaker.State.OPEN ? "; its orders wait (last error: " + lane.lastError() + ")" : ""));
        context.getRegistry().bind(clientOptionsName(vendor.name()), clientOptions(lane));
        context.addRoutes(new LaneRoutes(lane));
        LOG.info("Delivery lane for vendor {}: queue {}, {} req/s, {} in flight, time-out {} ms", vendor.name(), lane.queue(),
                lane.rateLimit(), lane.concurrency(), lane.timeoutMillis());
        return lane;
    }

    private void gauges(String name) {
        metrics.vendorGauge("aggregator_vendor_breaker_state", "Circuit breaker of each vendor's lane: 0 closed, 1 open, 2 half-open",
                name, () -> lane(name).map(Lane::stateCode).orElse(0));
        metrics.vendorGauge("aggregator_vendor_in_flight", "Order PUTs admitted to each vendor and not answered yet",
                name, () -> lane(name).map(l -> l.inFlight().get()).orElse(0));
    }

    /** Makes the lane known (Lanes.start; tests that run a lane's routes without a broker). */
    void add(Lane lane) {
        lanes.put(lane.vendor(), lane);
    }

    static String clientOptionsName(String vendor) {
        return "laneHttpClient-" + vendor;
    }

    /**
     * The lane's HTTP client: as many connections as calls in flight (Vert.x keeps 5 per host by
     * default, which caps a 100 ms vendor at 50 calls/s), the connect time-out, and no retries of its own.
     */
    private WebClientOptions clientOptions(Lane lane) {
        WebClientOptions options = new WebClientOptions();
        options.setMaxPoolSize(lane.concurrency());
        options.setConnectTimeout((int) defaults.connectTimeoutMillis());
        options.setKeepAlive(true);
        options.setUserAgent("order-aggregator");
        return options;
    }

    public Optional<Lane> lane(String vendor) {
        return Optional.ofNullable(lanes.get(vendor));
    }

    /** Each lane's state by vendor, sorted. */
    public Map<String, Map<String, Object>> snapshot() {
        Map<String, Map<String, Object>> all = new TreeMap<>();
        lanes.forEach((name, lane) -> all.put(name, lane.snapshot()));
        return all;
    }

    public Map<String, String> queues() {
        Map<String, String> q = new LinkedHashMap<>();
        new TreeMap<>(lanes).forEach((name, lane) -> q.put(name, lane.queue()));
        return q;
    }

    /**
     * Before each call (first try and retries alike): an order that waited too long ends; a lane whose
     * breaker is open keeps the order waiting (LaneOpenException, retried later without a thread).
     */
    public void admit(Exchange exchange) {
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        Lane lane = lanes.get(vendor);
        if (lane == null) {
            throw new VendorGoneException(vendor);
        }
        OrderToDeliver order = exchange.getProperty(OrderDelivery.ORDER, OrderToDeliver.class);
        double waitedMillis = order == null ? 0 : order.ageMillis(System.nanoTime());
        if (waitedMillis > defaults.maxWaitMillis()) {
            throw new OrderExpiredException("waited " + Math.round(waitedMillis / 1000) + " s for vendor " + vendor
                    + ", longer than the limit of " + defaults.maxWaitMillis() / 1000 + " s (last error: " + lane.lastError() + ")");
        }
        if (!lane.breaker().tryAcquirePermission()) {
            touchWhileWaiting(exchange, lane);
            throw new LaneOpenException(vendor);
        }
        lane.inFlight().incrementAndGet();
        exchange.setProperty(PERMIT_AT, System.nanoTime());
    }

    private void touchWhileWaiting(Exchange exchange, Lane lane) {
        Long touched = exchange.getProperty(WAIT_TOUCHED_AT, Long.class);
        long now = System.nanoTime();
        if (touched == null || now - touched > TOUCH_EVERY_NANOS) {
            exchange.setProperty(WAIT_TOUCHED_AT, now);
            String orderId = exchange.getProperty(OrderDelivery.ORDER_ID, String.class);
            try {
                jdbc.update(ClasspathText.load("sql/order/note-error.sql"), Map.of("orderId", java.util.UUID.fromString(orderId),
                        "reason", "waiting: vendor " + lane.vendor() + " circuit breaker open (" + lane.lastError() + ")"));
            } catch (RuntimeException e) {
                LOG.debug("Could not note the wait on order {}: {}", orderId, e.getMessage());
            }
        }
    }

    /** The call goes out now (first try and redeliveries alike): one more attempt, and when it started. */
    public void calling(Exchange exchange) {
        exchange.setProperty(OrderDelivery.ATTEMPTS, exchange.getProperty(OrderDelivery.ATTEMPTS, 0, Integer.class) + 1);
        exchange.setProperty(COUNTED_ATTEMPTS, countedAttempts(exchange) + 1);
        exchange.setProperty(PUT_STARTED, System.nanoTime());
    }

    /** The vendor answered 2xx. */
    public void succeeded(Exchange exchange) {
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        putAnswered(exchange, vendor, "success");
        Lane lane = lanes.get(vendor);
        Long at = exchange.removeProperty(PERMIT_AT) instanceof Long l ? l : null;
        if (lane != null && at != null) {
            lane.inFlight().decrementAndGet();
            lane.breaker().onSuccess(System.nanoTime() - at, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The call failed. A transient failure counts against the breaker; a permanent answer (4xx) shows the
     * vendor is there. When the failure leaves the breaker open, the vendor as a whole is down, not this
     * order: the attempt is given back, so an outage never uses up an order's attempts. Rethrows.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        boolean transientFailure = DeliveryFailures.isTransient(failure);
        putAnswered(exchange, vendor, transientFailure ? "transient" : "permanent");
        Lane lane = lanes.get(vendor);
        Long at = exchange.removeProperty(PERMIT_AT) instanceof Long l ? l : null;
        if (lane != null && at != null) {
            lane.inFlight().decrementAndGet();
            long nanos = System.nanoTime() - at;
            lane.failedWith(vendors.redact(vendor, DeliveryFailures.reason(failure)));
            if (transientFailure) {
                lane.breaker().onError(nanos, TimeUnit.NANOSECONDS, failure);
                if (lane.breaker().getState() != CircuitBreaker.State.CLOSED) {
                    exchange.setProperty(COUNTED_ATTEMPTS, Math.max(0, countedAttempts(exchange) - 1));
                }
            } else {
                lane.breaker().onSuccess(nanos, TimeUnit.NANOSECONDS);
            }
        }
        throw failure;
    }

    /** The vendor call's latency and outcome (success, transient or permanent failure) per vendor. */
    private void putAnswered(Exchange exchange, String vendor, String outcome) {
        if (exchange.removeProperty(PUT_STARTED) instanceof Long started) {
            metrics.vendorPut(vendor, outcome, System.nanoTime() - started);
        }
    }

    /** Attempts that count against aggregator.delivery.max-attempts: calls made while the lane was closed. */
    public static int countedAttempts(Exchange exchange) {
        return exchange.getProperty(COUNTED_ATTEMPTS, 0, Integer.class);
    }

    /** retryWhile of a transient failure: attempts left. */
    public boolean attemptsLeft(Exchange exchange) {
        return countedAttempts(exchange) < defaults.maxAttempts();
    }
}
