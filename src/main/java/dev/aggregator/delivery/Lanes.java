package dev.aggregator.delivery;

import java.time.Duration;
import java.time.Instant;
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
import dev.aggregator.support.RetryAfter;
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
 * go (a pause its vendor asked for, breaker, waiting limit), and what its outcome does to the lane (a
 * Retry-After pauses it), the breaker and the order's attempts.
 * Lanes start once Camel has started (YAML vendors are routes too, so they are known only then), and then
 * converge every lane-check period: a lane that could not start (the broker away) starts once it can, each
 * lane queue is declared again and a lane whose queue lost its consumer is restarted (issue 23).
 */
public class Lanes implements ExtendedStartupListener {

    /** Exchange properties the lane keeps per order. */
    public static final String COUNTED_ATTEMPTS = "countedAttempts";
    /** The thread pool (registry name) that confirms answered orders, shared by the lanes. */
    public static final String WORKERS = "deliveryWorkers";
    static final String PERMIT_AT = "lanePermitAt";
    static final String WAIT_STARTED_AT = "laneWaitStartedAt";
    static final String WAIT_NOTED_AT = "laneWaitNotedAt";
    static final String PUT_STARTED = "vendorPutStarted";

    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private static final Logger LOG = LoggerFactory.getLogger(Lanes.class);
    /** A waiting order's last_error ("waiting: …") is written again this often at most. */
    private static final long NOTE_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    private final LaneDefaults defaults;
    private final VendorRegistry vendors;
    private final QueueTopology topology;
    private final NamedParameterJdbcTemplate jdbc;
    private final Metrics metrics;
    private final Map<String, Lane> lanes = new ConcurrentHashMap<>();
    private final java.util.Set<String> gauged = ConcurrentHashMap.newKeySet();
    /** Vendors whose lane could not start or be checked: said once, and again when it works. */
    private final Map<String, String> troubled = new ConcurrentHashMap<>();
    /** Lanes whose queue showed no consumer at the last check: restarted if the next check agrees. */
    private final java.util.Set<String> noConsumer = ConcurrentHashMap.newKeySet();
    /** Orders a lane of this instance holds (in its prefetch: throttled, retrying, waiting), by order id. */
    private final java.util.Set<String> held = ConcurrentHashMap.newKeySet();
    private volatile long lastTouchNanos = System.nanoTime();
    private volatile java.util.concurrent.ScheduledExecutorService upkeep;

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
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (!started.compareAndSet(false, true)) {
            return; // called again for routes added later (lanes, vendor files): those come through sync()
        }
        // Never throws: with the broker away at start the service runs, answers 503, and its lanes start
        // when the broker is there (it exited with AmqpConnectException before, issue 23).
        converge(context, vendors.all());
        vendors.onChange(all -> converge(context, all));
        // A pause a poll's page was asked for holds the lane's calls too (the lane's own pauses come back here: no-op).
        vendors.onPause((vendor, wait) -> lane(vendor).ifPresent(l -> l.pauseFor(wait)));
        upkeep = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "delivery-lanes");
        upkeep.scheduleWithFixedDelay(() -> upkeep(context), defaults.laneCheckMillis(), defaults.laneCheckMillis(), TimeUnit.MILLISECONDS);
    }

    private void upkeep(CamelContext context) {
        try {
            if (context.isStopping() || context.isStopped()) {
                return;
            }
            converge(context, vendors.all());
            if (System.nanoTime() - lastTouchNanos >= TimeUnit.MILLISECONDS.toNanos(defaults.touchHeldMillis())) {
                lastTouchNanos = System.nanoTime();
                touchHeld();
            }
        } catch (RuntimeException e) {
            LOG.debug("Lane upkeep failed: {}", e.getMessage());
        }
    }

    /**
     * The lanes become what the vendors say: a lane for each vendor without one, a new lane for one whose
     * rate limit, concurrency or time-out changed (its queued orders wait in the broker meanwhile), each
     * lane's queue declared (a deleted one comes back) and its consumer checked. A lane that cannot start
     * now is tried again at the next check. A removed vendor's lane stays: its orders still queued end
     * FAILED, stock returned, as the vendor is gone.
     */
    synchronized void converge(CamelContext context, List<VendorConfig> all) {
        for (VendorConfig vendor : all) {
            try {
                Lane existing = lanes.get(vendor.name());
                if (existing != null && !existing.sameSettings(new Lane(vendor, defaults))) {
                    stop(context, existing);
                    LOG.info("Vendor {}: delivery settings changed, lane restarted", vendor.name());
                    existing = null;
                }
                if (existing == null) {
                    start(context, vendor);
                } else {
                    check(context, existing);
                }
                String was = troubled.remove(vendor.name());
                if (was != null) {
                    LOG.info("Vendor {}: delivery lane running again (it could not: {})", vendor.name(), was);
                }
            } catch (Exception e) {
                String reason = dev.aggregator.config.SchemaMigrator.rootMessageOf(e);
                boolean brokerAway = e instanceof org.springframework.amqp.AmqpException;
                if (troubled.putIfAbsent(vendor.name(), reason) == null && !brokerAway) {
                    LOG.warn("Vendor {}: delivery lane cannot run yet ({}); its orders wait in the broker, trying again every {} ms",
                            vendor.name(), reason, defaults.laneCheckMillis());
                } else {
                    // The broker's own outage is said once, naming the address, by ConnectivityMonitor.
                    LOG.debug("Vendor {}: delivery lane still cannot run: {}", vendor.name(), reason);
                }
            }
        }
    }

    /**
     * The lane's queue is declared again (a no-op while it exists; a deleted one is made anew) and must have
     * a consumer: after a queue was deleted the broker cancels ours, and Spring's container does not come
     * back to a queue it lost. Two checks in a row without one (a consumer takes a moment to start) and the
     * lane's route is restarted.
     */
    private void check(CamelContext context, Lane lane) throws Exception {
        int consumers = topology.ensureLane(lane.queue());
        String route = "delivery-lane-" + lane.vendor();
        if (consumers > 0 || context.getRoute(route) == null) {
            noConsumer.remove(lane.vendor());
            return;
        }
        if (noConsumer.add(lane.vendor())) {
            return;
        }
        LOG.warn("Vendor {}: lane queue {} has no consumer (deleted and declared again, or the consumer was cancelled): lane restarted",
                lane.vendor(), lane.queue());
        context.getRouteController().stopRoute(route);
        context.getRouteController().startRoute(route);
        noConsumer.remove(lane.vendor());
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
        topology.ensureLane(lane.queue()); // throws while the broker is away: nothing is added, the next check tries again
        add(lane); // before the routes: their first message asks for the lane
        String name = vendor.name();
        // Read through the map: a lane restarted with new settings is a new Lane object.
        if (gauged.add(name)) {
            gauges(name);
        }
        lane.breaker().getEventPublisher().onStateTransition(e -> LOG.warn("Vendor {}: circuit breaker {} -> {}{}", vendor.name(),
                e.getStateTransition().getFromState(), e.getStateTransition().getToState(),
                e.getStateTransition().getToState() == CircuitBreaker.State.OPEN ? "; its orders wait (last error: " + lane.lastError() + ")" : ""));
        context.getRegistry().bind(clientOptionsName(vendor.name()), clientOptions(lane));
        try {
            context.addRoutes(new LaneRoutes(lane));
        } catch (Exception e) {
            stop(context, lane); // a half-added lane would look running to the next check
            throw e;
        }
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
        // Never follow: Vert.x would turn a 303 to a PUT into a GET elsewhere (and take its 200 for the
        // vendor's acceptance); every 3xx fails the order with its Location instead (DeliveryFailures).
        options.setFollowRedirects(false);
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
     * Before each call (first try and retries alike): a lane whose breaker is open keeps the order waiting
     * (LaneOpenException, asked again every recheck-ms without a thread), and an order that has waited on
     * an open breaker for longer than the limit ends. The clock runs from when this order first found its
     * vendor's breaker open (kept in orders.waiting_since, so another copy or instance goes on from there;
     * a replay starts afresh), never from the order's creation: a backlog behind a rate limit or a replay of
     * an old order is not a vendor that does not answer (issue 23). A lane its vendor paused (Retry-After)
     * keeps the order waiting until the pause ends (LanePausedException), attempts untouched; that wait is
     * not counted toward the limit: it is bounded by retry-after-max-ms, and a vendor that keeps pausing
     * keeps failing calls, which opens the breaker.
     */
    public void admit(Exchange exchange) {
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        Lane lane = lanes.get(vendor);
        if (lane == null) {
            throw new VendorGoneException(vendor);
        }
        long paused = lane.pauseRemainingNanos();
        if (paused > 0) {
            CallSpan.waiting(exchange, "retry-after");
            throw paused(exchange, lane, paused); // before the breaker: a half-open probe's permission is not taken
        }
        if (!lane.breaker().tryAcquirePermission()) {
            long now = System.nanoTime();
            Long since = exchange.getProperty(WAIT_STARTED_AT, Long.class);
            if (since == null) {
                OrderToDeliver order = exchange.getProperty(OrderDelivery.ORDER, OrderToDeliver.class);
                since = order == null || order.waitingSinceNanos() == null ? now : order.waitingSinceNanos();
                exchange.setProperty(WAIT_STARTED_AT, since);
            }
            long waitedMillis = TimeUnit.NANOSECONDS.toMillis(now - since);
            if (waitedMillis > defaults.maxWaitMillis()) {
                throw new OrderExpiredException("waited " + Math.round(waitedMillis / 1000.0) + " s for vendor " + vendor
                        + " (circuit breaker open), longer than the limit of " + defaults.maxWaitMillis() / 1000 + " s (last error: "
                        + lane.lastError() + ")");
            }
            noteWaiting(exchange, lane, now);
            CallSpan.waiting(exchange, "breaker-open");
            throw new LaneOpenException(vendor);
        }
        lane.inFlight().incrementAndGet();
        exchange.setProperty(PERMIT_AT, System.nanoTime());
    }

    /** The order's last_error says it waits, and waiting_since when it began; written again every minute at most. */
    private void noteWaiting(Exchange exchange, Lane lane, long now) {
        Long noted = exchange.getProperty(WAIT_NOTED_AT, Long.class);
        if (noted == null || now - noted > NOTE_EVERY_NANOS) {
            exchange.setProperty(WAIT_NOTED_AT, now);
            String orderId = exchange.getProperty(OrderDelivery.ORDER_ID, String.class);
            try {
                jdbc.update(ClasspathText.load("sql/order/note-waiting.sql"), Map.of("orderId", java.util.UUID.fromString(orderId),
                        "reason", "waiting: vendor " + lane.vendor() + " circuit breaker open (" + lane.lastError() + ")"));
            } catch (RuntimeException e) {
                LOG.debug("Could not note the wait on order {}: {}", orderId, e.getMessage());
            }
        }
    }

    /**
     * The lane holds this order until its exchange is done (throttled, retrying, waiting): the upkeep marks
     * held orders alive every touch-held-ms, so reconciliation does not re-send what is merely slow. An
     * order that sat in the queue longer than half that is marked alive at once: between leaving the queue
     * and the next touch, reconciliation would see it nowhere (the queue empty, the row old). Orders taken
     * at once, the usual case, cost no write here.
     */
    public void hold(Exchange exchange) {
        String orderId = exchange.getProperty(OrderDelivery.ORDER_ID, String.class);
        OrderToDeliver order = exchange.getProperty(OrderDelivery.ORDER, OrderToDeliver.class);
        if (order != null && order.pending() && order.idleSeconds() * 1000 > defaults.touchHeldMillis() / 2.0) {
            touch(List.of(orderId));
        }
        if (orderId != null && held.add(orderId)) {
            exchange.getExchangeExtension().addOnCompletion(new org.apache.camel.support.SynchronizationAdapter() {
                @Override
                public void onDone(Exchange done) {
                    held.remove(orderId);
                }
            });
        }
    }

    /** Marks the held orders alive; one statement for all of them. */
    void touchHeld() {
        if (!held.isEmpty()) {
            touch(List.copyOf(held));
        }
    }

    private void touch(java.util.Collection<String> orderIds) {
        java.util.UUID[] ids = orderIds.stream().map(java.util.UUID::fromString).toArray(java.util.UUID[]::new);
        try {
            jdbc.update(ClasspathText.load("sql/delivery/touch-held.sql"), new org.springframework.jdbc.core.namedparam.MapSqlParameterSource()
                    .addValue("ids", ids).addValue("olderThanSeconds", defaults.touchHeldMillis() / 2000.0));
        } catch (RuntimeException e) {
            LOG.debug("Could not mark {} held orders alive: {}", ids.length, e.getMessage());
        }
    }

    /**
     * The order waits out the rest of the vendor's pause. CamelRedeliveryDelay makes its next try the pause's
     * end rather than the next recheck (it overrides the policy's delay, DeliveryErrors); set on the message
     * here, in the call, it is gone at that try: a redelivery starts again from the message as it was before
     * the call, so the header never reaches a vendor.
     */
    private static LanePausedException paused(Exchange exchange, Lane lane, long remainingNanos) {
        long millis = TimeUnit.NANOSECONDS.toMillis(remainingNanos + 999_999); // rounded up: never a millisecond early
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, millis);
        return new LanePausedException(lane.vendor(), millis, lane.pausedUntil());
    }

    /**
     * The call goes out now (first try and redeliveries alike): one more attempt, and when it started. A call
     * admitted before its vendor asked for a pause, and held by the rate limit since, does not go out: its
     * permit goes back unused and the order waits like the others.
     */
    public void calling(Exchange exchange) {
        Lane lane = lanes.get(exchange.getProperty(OrderDelivery.VENDOR, String.class));
        long paused = lane == null ? 0 : lane.pauseRemainingNanos();
        if (paused > 0) {
            if (exchange.removeProperty(PERMIT_AT) != null) {
                lane.inFlight().decrementAndGet();
                lane.breaker().releasePermission();
            }
            throw paused(exchange, lane, paused);
        }
        exchange.setProperty(OrderDelivery.ATTEMPTS, exchange.getProperty(OrderDelivery.ATTEMPTS, 0, Integer.class) + 1);
        exchange.setProperty(COUNTED_ATTEMPTS, countedAttempts(exchange) + 1);
        exchange.setProperty(PUT_STARTED, System.nanoTime());
    }

    /** The call admitted for this exchange does not go out: its permit goes back unused (OrderCalls). */
    public void unusedPermit(Exchange exchange) {
        Lane lane = lanes.get(exchange.getProperty(OrderDelivery.VENDOR, String.class));
        if (lane != null && exchange.removeProperty(PERMIT_AT) != null) {
            lane.inFlight().decrementAndGet();
            lane.breaker().releasePermission();
        }
    }

    /**
     * A 429 or 503 with a Retry-After pauses the whole lane, not only this order: no call to the vendor goes
     * out before the instant it named. Called on the thread that got the answer, before the hand-off to the
     * workers, so the lane's next calls already see the pause. A pause is at most retry-after-max-ms: a
     * vendor's "Retry-After: 86400" (a mistake, or a date a day off) would otherwise stop its lane for a
     * day, every order in it held in the prefetch; after the cap the lane asks again, and a vendor still
     * refusing fails calls, which the breaker sees. The call itself counts as any transient failure (failed()).
     */
    public void pauseIfAsked(Exchange exchange) {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String asked = DeliveryFailures.retryAfter(failure);
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        Lane lane = lanes.get(vendor);
        if (asked == null || lane == null) {
            return;
        }
        Duration most = Duration.ofMillis(defaults.retryAfterMaxMillis());
        Optional<Duration> wait = RetryAfter.parse(asked, Instant.now(), most);
        if (wait.isEmpty()) {
            LOG.debug("Vendor {}: Retry-After '{}' is neither seconds nor an HTTP date: ignored", vendor, asked);
            return;
        }
        if (lane.pauseFor(wait.get())) {
            LOG.info("Vendor {}: answered {} with Retry-After: {}; no call to it until {}{}", vendor, DeliveryFailures.status(failure),
                    asked, lane.pausedUntil(), wait.get().equals(most) ? " (capped by aggregator.delivery.retry-after-max-ms)" : "");
        }
        vendors.pause(vendor, wait.get()); // the poller waits too
    }

    /** The vendor answered 2xx. */
    public void succeeded(Exchange exchange) {
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        long took = putAnswered(exchange, vendor, "success");
        Lane lane = lanes.get(vendor);
        if (lane != null && exchange.removeProperty(PERMIT_AT) != null) {
            lane.inFlight().decrementAndGet();
            lane.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
        }
    }

    /**
     * The call failed. A transient failure counts against the breaker; any other answer shows the vendor
     * is there. When the failure leaves the breaker open, the vendor as a whole is down, not this order:
     * the attempt is given back, so an outage never uses up an order's attempts. Rethrows.
     */
    public void failed(Exchange exchange) throws Exception {
        Exception failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        String vendor = exchange.getProperty(OrderDelivery.VENDOR, String.class);
        boolean transientFailure = DeliveryFailures.isTransient(failure);
        long took = putAnswered(exchange, vendor, transientFailure ? "transient" : "permanent");
        Lane lane = lanes.get(vendor);
        if (lane != null && exchange.removeProperty(PERMIT_AT) != null) {
            lane.inFlight().decrementAndGet();
            lane.failedWith(vendors.redact(vendor, DeliveryFailures.reason(failure)));
            if (transientFailure) {
                lane.breaker().onError(took, TimeUnit.NANOSECONDS, failure);
                if (lane.breaker().getState() != CircuitBreaker.State.CLOSED) {
                    exchange.setProperty(COUNTED_ATTEMPTS, Math.max(0, countedAttempts(exchange) - 1));
                }
            } else {
                lane.breaker().onSuccess(took, TimeUnit.NANOSECONDS);
            }
        }
        throw failure;
    }

    /**
     * The vendor call's latency and outcome (success, transient or permanent failure) per vendor; answers
     * the call's duration in nanoseconds, from the request going out (after the rate limit's wait), which
     * is also what the breaker is told.
     */
    private long putAnswered(Exchange exchange, String vendor, String outcome) {
        if (exchange.removeProperty(PUT_STARTED) instanceof Long started) {
            long took = System.nanoTime() - started;
            metrics.vendorPut(vendor, outcome, took);
            return took;
        }
        return 0;
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
