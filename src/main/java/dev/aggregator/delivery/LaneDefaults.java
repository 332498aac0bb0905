package dev.aggregator.delivery;

import java.time.Duration;

import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;

/**
 * The global delivery settings (application.properties, env on top) that a vendor's own settings
 * override: rate, calls in flight, time-out; and the breaker and waiting rules every lane shares.
 */
public record LaneDefaults(double rateLimit, int concurrency, long timeoutMillis, long connectTimeoutMillis,
                           int maxAttempts, long maxWaitMillis, long recheckMillis,
                           int breakerWindow, int breakerMinimumCalls, float breakerFailureRate, long breakerOpenMillis) {

    /**
     * Count-based: the last breakerWindow calls, once at least breakerMinimumCalls were made; open at
     * breakerFailureRate % transient failures; one probe after breakerOpenMillis. Only our own
     * onError/onSuccess calls are recorded (a permanent 4xx counts as the vendor answering).
     */
    CircuitBreakerConfig breakerConfig() {
        return CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                .slidingWindowSize(breakerWindow)
                .minimumNumberOfCalls(breakerMinimumCalls)
                .failureRateThreshold(breakerFailureRate)
                .waitDurationInOpenState(Duration.ofMillis(breakerOpenMillis))
                .permittedNumberOfCallsInHalfOpenState(1)
                .maxWaitDurationInHalfOpenState(Duration.ZERO)
                .build();
    }
}
