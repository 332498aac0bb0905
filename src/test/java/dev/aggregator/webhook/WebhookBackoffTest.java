package dev.aggregator.webhook;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class WebhookBackoffTest {

    private final WebhookBackoff defaults = new WebhookBackoff(Duration.ofSeconds(10), Duration.ofHours(1), Duration.ofDays(1));

    @Test
    void theDelayDoublesFromTheFirstUpToTheLongest() {
        assertThat(defaults.delay(1)).isEqualTo(Duration.ofSeconds(10));
        assertThat(defaults.delay(2)).isEqualTo(Duration.ofSeconds(20));
        assertThat(defaults.delay(3)).isEqualTo(Duration.ofSeconds(40));
        assertThat(defaults.delay(9)).isEqualTo(Duration.ofSeconds(2560));
        assertThat(defaults.delay(10)).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.delay(1000)).isEqualTo(Duration.ofHours(1));
        assertThat(defaults.delay(0)).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void attemptsGoOnForTheWindowThenStop() {
        // an event that fails every time: the schedule of its retries from its start
        List<Duration> at = new ArrayList<>();
        Duration age = Duration.ZERO;
        int failures = 1;
        Optional<Duration> next;
        while ((next = defaults.next(failures, age)).isPresent()) {
            age = age.plus(next.get());
            at.add(age);
            failures++;
        }
        assertThat(at.get(0)).isEqualTo(Duration.ofSeconds(10));
        assertThat(at.get(3)).isEqualTo(Duration.ofSeconds(150));
        assertThat(at.get(at.size() - 1)).isLessThanOrEqualTo(Duration.ofDays(1)).isGreaterThan(Duration.ofHours(23));
        // 9 doubling retries reach 1 h after ~85 min, then one an hour until the day is over
        assertThat(at).hasSize(31);
    }

    @Test
    void theWindowCountsFromTheRetryWindowsStart() {
        assertThat(defaults.next(5, Duration.ofHours(23).plusMinutes(58))).isEmpty();
        assertThat(defaults.next(5, Duration.ofHours(23))).contains(Duration.ofSeconds(160));
        assertThat(new WebhookBackoff(Duration.ofMillis(200), Duration.ofSeconds(1), Duration.ZERO).next(1, Duration.ZERO)).isEmpty();
    }

    @Test
    void nonsenseIsRefused() {
        assertThatThrownBy(() -> new WebhookBackoff(Duration.ZERO, Duration.ofSeconds(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WebhookBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
