package dev.aggregator.webhook;

import java.time.Duration;
import java.util.Optional;

/**
 * When a webhook that failed is tried again: first after {@code first}, doubling with each failure up to
 * {@code longest} between attempts, for as long as the event is younger than {@code window} (a day by default);
 * past it the event is kept as failed. With 10 s doubling to 1 h, a day holds about 30 attempts.
 */
public record WebhookBackoff(Duration first, Duration longest, Duration window) {

    public WebhookBackoff {
        if (first.isNegative() || first.isZero() || longest.compareTo(first) < 0 || window.isNegative()) {
            throw new IllegalArgumentException("backoff must be first > 0, longest >= first, window >= 0: " + first + ", " + longest + ", " + window);
        }
    }

    /**
     * The wait before the next attempt after the {@code failures}-th failure in a row (1 for the first), or empty
     * when that attempt would fall outside the window (the event's age counted from its retry window's start).
     */
    public Optional<Duration> next(int failures, Duration age) {
        Duration delay = delay(failures);
        return age.plus(delay).compareTo(window) > 0 ? Optional.empty() : Optional.of(delay);
    }

    /** first × 2^(failures−1), at most longest. */
    public Duration delay(int failures) {
        int doublings = Math.max(0, failures - 1);
        // past 2^62 the product overflows; longest has long been reached by then
        if (doublings >= 62 || first.toMillis() > longest.toMillis() >> doublings) {
            return longest;
        }
        return Duration.ofMillis(first.toMillis() << doublings);
    }
}
