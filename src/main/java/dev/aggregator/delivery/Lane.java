package dev.aggregator.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aggregator.config.VendorConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One vendor's delivery lane: its own queue (one active consumer in the whole cluster), rate limit,
 * calls in flight, HTTP time-out, circuit breaker and the pause its vendor asked for (Retry-After). Nothing
 * here is shared with another vendor.
 */
public final class Lane {

    private final VendorConfig vendor;
    private final double rateLimit;
    private final int concurrency;
    private final long timeoutMillis;
    private final CircuitBreaker breaker;
    private final AtomicInteger inFlight = new AtomicInteger();
    private volatile String lastError;
    private volatile Instant lastErrorAt;
    /** No call before this System.nanoTime() (a vendor's Retry-After); in the past when not paused. Written under the lock. */
    private volatile long pausedUntilNanos = System.nanoTime();
    /** The same instant on the wall clock, for the answers. */
    private volatile Instant pausedUntil;

    Lane(VendorConfig vendor, LaneDefaults defaults) {
        this.vendor = vendor;
        this.rateLimit = vendor.rateLimit() != null ? vendor.rateLimit() : defaults.rateLimit();
        this.concurrency = vendor.concurrency() != null ? vendor.concurrency() : defaults.concurrency();
        this.timeoutMillis = vendor.timeoutMillis() != null ? vendor.timeoutMillis() : defaults.timeoutMillis();
        this.breaker = CircuitBreaker.of(vendor.name(), defaults.breakerConfig());
    }

    /** Whether the other lane sends like this one (rate, concurrency, time-out): no restart needed. */
    boolean sameSettings(Lane other) {
        return rateLimit == other.rateLimit && concurrency == other.concurrency && timeoutMillis == other.timeoutMillis
                && acceptedStatuses().equals(other.acceptedStatuses()) && java.util.Objects.equals(orderRoute(), other.orderRoute());
    }

    /** The vendor's own order route (its file's orderRoute, a direct: endpoint) called instead of the HTTP call; null for the others. */
    public String orderRoute() {
        return vendor.api().orderRoute();
    }

    /** The statuses that mean the vendor accepted an order (its file's orderAccepted; 2xx by default), as Camel's okStatusCodeRange. */
    public String acceptedStatuses() {
        return vendor.api().settings().getOrDefault("orderAccepted", "200-299").replace(" ", "");
    }

    public static String queueOf(String vendor) {
        return dev.aggregator.config.QueueTopology.laneOf(vendor);
    }

    public String vendor() { return vendor.name(); }
    public String url() { return vendor.url(); }
    public String queue() { return queueOf(vendor.name()); }
    public double rateLimit() { return rateLimit; }
    public int concurrency() { return concurrency; }
    public long timeoutMillis() { return timeoutMillis; }
    CircuitBreaker breaker() { return breaker; }
    AtomicInteger inFlight() { return inFlight; }

    /**
     * The rate as the Throttle EIP takes it: whole requests per period, never more than the rate. Camel's
     * throttler is a sliding window (a permit comes back one period after it was taken), so N per P allows
     * at most N in any P. A whole rate is N per second; a fractional one the fewest whole requests over a
     * period of up to 10 s (1.5/s: 3 per 2 s; 0.5/s: 1 per 2 s); else one request per 1000/rate ms rounded
     * up (2.37/s: 1 per 422 ms), a hair slow rather than over. Rounding 1.5 to 2 sent 21 PUTs in a 10 s
     * window where 15 were allowed (issue 23). Every period is 2 % longer than the rate says: a request
     * reaches the vendor some milliseconds after its permit (a new connection, a busy core), and without
     * that margin a vendor counting strictly saw 16 in a 10 s window at 1.5/s.
     */
    record Throttle(long requests, long periodMillis) {
        static final double JITTER_MARGIN = 1.02;

        static Throttle of(double rate) {
            for (int seconds = 1; seconds <= 10; seconds++) {
                double n = rate * seconds;
                if (Math.abs(n - Math.rint(n)) < 1e-9 && Math.rint(n) >= 1) {
                    return new Throttle((long) Math.rint(n), (long) Math.ceil(seconds * 1000L * JITTER_MARGIN));
                }
            }
            return new Throttle(1, (long) Math.ceil(1000 / rate * JITTER_MARGIN));
        }
    }

    public long throttleRequests() {
        return Throttle.of(rateLimit).requests();
    }

    public long throttlePeriodMillis() {
        return Throttle.of(rateLimit).periodMillis();
    }

    /** closed, open or half_open, as operators and metrics name it. */
    public String state() {
        return switch (breaker.getState()) {
            case CLOSED, DISABLED, METRICS_ONLY -> "closed";
            case OPEN, FORCED_OPEN -> "open";
            case HALF_OPEN -> "half_open";
        };
    }

    /** For the gauge: 0 closed, 1 open, 2 half-open. */
    public int stateCode() {
        return switch (state()) {
            case "open" -> 1;
            case "half_open" -> 2;
            default -> 0;
        };
    }

    /** The last vendor call's failure, for logs, waiting orders and the answers below. */
    public String lastError() {
        return lastError;
    }

    /**
     * The vendor asked for no call for this long (Retry-After, capped by the caller): the pause ends then,
     * or stays as it is if it already ends later. Answers whether this began a pause (none was on).
     */
    synchronized boolean pauseFor(Duration wait) {
        long now = System.nanoTime();
        boolean wasPaused = pausedUntilNanos - now > 0;
        long until = now + wait.toNanos();
        if (until - pausedUntilNanos > 0) {
            pausedUntilNanos = until;
            pausedUntil = Instant.now().plus(wait);
        }
        return !wasPaused && until - now > 0;
    }

    /** How much of the vendor's pause is left, in nanoseconds; 0 when the lane is not paused. */
    long pauseRemainingNanos() {
        return Math.max(0, pausedUntilNanos - System.nanoTime());
    }

    /** When the vendor's pause ends (ISO instant) while it lasts, else null. */
    public String pausedUntil() {
        Instant until = pausedUntil;
        return until == null || pauseRemainingNanos() == 0 ? null : until.toString();
    }

    void failedWith(String reason) {
        lastError = reason;
        lastErrorAt = Instant.now();
    }

    /** What /health, the dashboard and GET /admin show; queued is read from the broker by the caller. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("breaker", state());
        m.put("pausedUntil", pausedUntil());
        m.put("inFlight", inFlight.get());
        m.put("rateLimit", rateLimit);
        m.put("concurrency", concurrency);
        m.put("timeoutMs", timeoutMillis);
        m.put("failureRate", breaker.getMetrics().getFailureRate());
        m.put("lastError", lastError);
        m.put("lastErrorAt", lastErrorAt == null ? null : lastErrorAt.toString());
        return m;
    }
}
