package dev.aggregator.delivery;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.aggregator.config.VendorConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;

/**
 * One vendor's delivery lane: its own queue (one active consumer in the whole cluster), rate limit,
 * calls in flight, HTTP time-out and circuit breaker. Nothing here is shared with another vendor.
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

    Lane(VendorConfig vendor, LaneDefaults defaults) {
        this.vendor = vendor;
        this.rateLimit = vendor.rateLimit() != null ? vendor.rateLimit() : defaults.rateLimit();
        this.concurrency = vendor.concurrency() != null ? vendor.concurrency() : defaults.concurrency();
        this.timeoutMillis = vendor.timeoutMillis() != null ? vendor.timeoutMillis() : defaults.timeoutMillis();
        this.breaker = CircuitBreaker.of(vendor.name(), defaults.breakerConfig());
    }

    /** Whether the other lane sends like this one (rate, concurrency, time-out): no restart needed. */
    boolean sameSettings(Lane other) {
        return rateLimit == other.rateLimit && concurrency == other.concurrency && timeoutMillis == other.timeoutMillis;
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

    /** The rate as the Throttle EIP takes it: whole requests per period (0.5/s is 1 per 2 s). */
    public long throttleRequests() {
        return rateLimit >= 1 ? Math.round(rateLimit) : 1;
    }

    public long throttlePeriodMillis() {
        return rateLimit >= 1 ? 1000 : Math.round(1000 / rateLimit);
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

    void failedWith(String reason) {
        lastError = reason;
        lastErrorAt = Instant.now();
    }

    /** What /health, the dashboard and GET /admin show; queued is read from the broker by the caller. */
    public Map<String, Object> snapshot() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("breaker", state());
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
