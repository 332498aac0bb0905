package dev.aggregator.delivery;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The global delivery settings (application.properties, env on top) that a vendor's own settings
 * override: rate, calls in flight, time-out; and the breaker, waiting and upkeep rules every lane shares.
 * laneCheckMillis: how often lanes converge to the configured vendors (queues declared, consumers there);
 * touchHeldMillis: how often the orders a lane holds are marked alive for reconciliation;
 * retryAfterMaxMillis: the longest pause a vendor's Retry-After makes its lane take.
 */
public record LaneDefaults(double rateLimit, int concurrency, long timeoutMillis, long connectTimeoutMillis,
                           int maxAttempts, long maxWaitMillis, long recheckMillis,
                           int breakerWindow, int breakerMinimumCalls, float breakerFailureRate, long breakerOpenMillis,
                           long breakerSlowCallMillis, long laneCheckMillis, long touchHeldMillis, long retryAfterMaxMillis) {

    /** Slow calls never count when the threshold is this long (Resilience4j wants some threshold). */
    private static final Duration NEVER_SLOW = Duration.ofDays(3650);

    /**
     * Count-based: the last breakerWindow calls, once at least breakerMinimumCalls were made; open at
     * breakerFailureRate % transient failures; one probe after breakerOpenMillis. Only our own
     * onError/onSuccess calls are recorded (a permanent 4xx counts as the vendor answering), timed from
     * the moment the request went out, not from the wait for the rate limit before it.
     * Slow calls count only when breakerSlowCallMillis > 0: by default "too slow" is the vendor's
     * time-out, a transient failure. Resilience4j's own default (calls over 60 s are slow, 100 % slow
     * opens) opened the breaker of a healthy vendor whose orders waited a minute for its rate limit.
     */
    CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breakerWindow)
                .minimumNumberOfCalls(breakerMinimumCalls)
                .failureRateThreshold(breakerFailureRate)
                .slowCallDurationThreshold(breakerSlowCallMillis > 0 ? Duration.ofMillis(breakerSlowCallMillis) : NEVER_SLOW)
                .slowCallRateThreshold(breakerSlowCallMillis > 0 ? breakerFailureRate : 100)
                .waitDurationInOpenState(Duration.ofMillis(breakerOpenMillis))
                .permittedNumberOfCallsInHalfOpenState(1)
                .maxWaitDurationInHalfOpenState(Duration.ZERO)
                .build();
    }
}
