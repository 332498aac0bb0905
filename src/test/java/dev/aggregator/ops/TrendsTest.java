package dev.aggregator.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Issue 27: the trend charts' samples, read against a clock the test moves. */
class TrendsTest {

    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00Z");

    private final Trends trends = new Trends(Duration.ofSeconds(10), Duration.ofSeconds(2)); // 5 samples

    private static Trends.Reading reading(double accepted, double synced, double failed, double products,
                                          Map<String, String> breakers) {
        return new Trends.Reading(accepted, synced, failed, products, breakers, Map.of("sync_to_external", (long) accepted));
    }

    @SuppressWarnings("unchecked")
    private static <T> List<T> series(Map<String, Object> columns, String... path) {
        Object node = columns;
        for (String key : path) {
            node = ((Map<String, Object>) node).get(key);
        }
        return (List<T>) node;
    }

    @Test
    void ratesAreCounterDeltasOverTheTimeThatReallyPassed() {
        trends.record(T0, reading(10, 4, 1, 100, Map.of()));
        trends.record(T0.plusSeconds(2), reading(30, 10, 1, 160, Map.of()));
        trends.record(T0.plusSeconds(6), reading(34, 22, 3, 160, Map.of())); // a late sample: 4 s, not 2

        Map<String, Object> c = trends.columns();
        assertThat(series(c, "t")).containsExactly(T0.getEpochSecond() * 1.0, T0.getEpochSecond() + 2.0, T0.getEpochSecond() + 6.0);
        assertThat(series(c, "ordersPerSecond", "accepted")).containsExactly(null, 10.0, 1.0);
        assertThat(series(c, "ordersPerSecond", "synced")).containsExactly(null, 3.0, 3.0);
        assertThat(series(c, "ordersPerSecond", "failed")).containsExactly(null, 0.0, 0.5);
        assertThat(series(c, "productsPerSecond")).containsExactly(null, 30.0, 0.0);
        assertThat(series(c, "queues", "sync_to_external")).containsExactly(10L, 30L, 34L);
    }

    @Test
    void aCounterThatWentBackCountsFromZeroNotNegative() {
        assertThat(Trends.rate(50, 6, 2)).isEqualTo(3.0);
        assertThat(Trends.rate(6, 6, 2)).isEqualTo(0.0);
    }

    @Test
    void latencyPercentilesArePerIntervalAndPerVendor() {
        trends.record(T0, reading(0, 0, 0, 0, Map.of()));
        for (int ms = 1; ms <= 100; ms++) {
            trends.putTook("vendorA", ms * 1_000_000L);
        }
        trends.putTook("vendorB", 7_000_000L);
        trends.record(T0.plusSeconds(2), reading(0, 0, 0, 0, Map.of()));
        trends.putTook("vendorA", 500_000_000L);
        trends.record(T0.plusSeconds(4), reading(0, 0, 0, 0, Map.of()));
        trends.record(T0.plusSeconds(6), reading(0, 0, 0, 0, Map.of())); // no call in this interval

        Map<String, Object> c = trends.columns();
        assertThat(series(c, "vendors", "vendorA", "p50Ms")).containsExactly(null, 50.0, 500.0, null);
        assertThat(series(c, "vendors", "vendorA", "p99Ms")).containsExactly(null, 99.0, 500.0, null);
        assertThat(series(c, "vendors", "vendorB", "p50Ms")).containsExactly(null, 7.0, null, null);
    }

    @Test
    void nearestRankPercentile() {
        assertThat(Trends.percentileMillis(new long[] {3_000_000, 1_000_000, 2_000_000}, 50)).isEqualTo(2.0);
        assertThat(Trends.percentileMillis(new long[] {3_000_000, 1_000_000, 2_000_000}, 99)).isEqualTo(3.0);
        assertThat(Trends.percentileMillis(new long[] {1_500_000}, 50)).isCloseTo(1.5, within(1e-9));
    }

    @Test
    void aBusyIntervalKeepsBoundedMemoryAndStillReadsItsPercentiles() {
        trends.record(T0, reading(0, 0, 0, 0, Map.of()));
        for (int i = 0; i < 100_000; i++) {
            trends.putTook("vendorA", (i % 2 == 0 ? 10 : 20) * 1_000_000L); // half 10 ms, half 20 ms
        }
        trends.record(T0.plusSeconds(2), reading(0, 0, 0, 0, Map.of()));
        assertThat(series(trends.columns(), "vendors", "vendorA", "p99Ms")).containsExactly(null, 20.0);
        assertThat(series(trends.columns(), "vendors", "vendorA", "p50Ms").get(1)).isIn(10.0, 20.0);
    }

    @Test
    void theWindowKeepsOnlyTheLastSamples() {
        for (int i = 0; i < 8; i++) {
            trends.record(T0.plusSeconds(2L * i), reading(i, 0, 0, 0, Map.of()));
        }
        Map<String, Object> c = trends.columns();
        assertThat(series(c, "t")).hasSize(5).first().isEqualTo(T0.getEpochSecond() + 6.0);
        assertThat(series(c, "queues", "sync_to_external")).containsExactly(3L, 4L, 5L, 6L, 7L);
        assertThat(c).containsEntry("windowSeconds", 10L).containsEntry("stepSeconds", 2.0);
    }

    @Test
    void theBreakerTimelineShowsWhenAVendorWasOpen() {
        trends.record(T0, reading(0, 0, 0, 0, Map.of("vendorA", "closed")));
        trends.record(T0.plusSeconds(2), reading(0, 0, 0, 0, Map.of("vendorA", "closed", "vendorB", "closed")));
        trends.record(T0.plusSeconds(4), reading(0, 0, 0, 0, Map.of("vendorA", "closed", "vendorB", "open")));
        trends.record(T0.plusSeconds(6), reading(0, 0, 0, 0, Map.of("vendorA", "closed", "vendorB", "half_open")));
        trends.record(T0.plusSeconds(8), reading(0, 0, 0, 0, Map.of("vendorA", "closed", "vendorB", "closed")));

        Map<String, Object> c = trends.columns();
        assertThat(series(c, "vendors", "vendorA", "breaker")).containsExactly(0, 0, 0, 0, 0);
        assertThat(series(c, "vendors", "vendorB", "breaker")).containsExactly(null, 0, 1, 2, 0);
    }

    @Test
    void queueDepthsComeFromTheOverviewsSnapshot() {
        Map<String, Object> snapshot = Map.of(
                "queues", Map.of("sync_to_external", 3L, "sync_to_external_dlq", 1),
                "lanes", Map.of("vendorB", Map.of("breaker", "open", "queued", 12L)));
        assertThat(TrendSampler.queueDepths(snapshot))
                .containsEntry("sync_to_external", 3L).containsEntry("sync_to_external_dlq", 1L).containsEntry("lane vendorB", 12L);
        assertThat(TrendSampler.queueDepths(Map.of())).isEmpty(); // before the first overview
    }

    @Test
    void aWindowShorterThanOneStepIsRefused() {
        assertThatThrownBy(() -> new Trends(Duration.ofSeconds(1), Duration.ofSeconds(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("window");
    }
}
