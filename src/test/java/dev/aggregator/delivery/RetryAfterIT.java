package dev.aggregator.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 24, item 5, the delivery side: a vendor's Retry-After on a 429 or 503 (seconds, or an HTTP date)
 * pauses its whole lane. With four orders in flight (three held by the rate limit), the vendor asks three
 * times for 2 s of quiet: it never gets a request sooner than it asked (but for one already on its way when
 * it asked: CountingVendor.CROSSING_MILLIS), the pause shows in /health while it lasts, and no order spends
 * its attempts on it. Before, the paused order came back after 500 ms of backoff
 * and the lane's other orders kept calling throughout.
 */
class RetryAfterIT extends AggregatorTestSupport {

    private static final int ORDERS = 10;

    private CountingVendor pausing;

    @Override
    protected void settings(Properties p) {
        pausing = outsideVendor("pausing", 10, 50);
        p.setProperty("VENDOR_URL_1", pausing.url());
        p.setProperty("VENDOR_CONCURRENCY_1", "4");
        // One call a second (the throttle's window is 1.02 s), so the lane holds the other three orders in the
        // throttle: one admitted before a pause began must not go out during it. It also leaves a second
        // between the ask and the next call for the lane to see the pause: no call can be on its way when the
        // vendor asks (at ten a second one was, now and then, with the lane slow to read the answer, up to
        // 180 ms on a busy machine; CountingVendor.CROSSING_MILLIS).
        p.setProperty("VENDOR_RATE_LIMIT_1", "1");
    }

    @Test
    void aVendorsPauseHoldsTheWholeLaneAndCostsNoOrderItsAttempts() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("pausing") == 10);
        pausing.retryAfter(3, 2, 3);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ORDERS; i++) {
            ids.add(order("pausing", 1 + i % 10));
        }
        Set<String> shown = new ConcurrentSkipListSet<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            JsonNode until = json(get("/health")).at("/vendors/pausing/pausedUntil");
            if (until.isTextual()) {
                shown.add(until.asText());
            }
            return finished(ids) == ORDERS;
        });
        List<CountingVendor.Pause> pauses = pausing.pauses();
        System.out.printf("%d orders, %d PUTs; pauses asked: %s; early requests %d, crossing the ask (within %d ms) %d; /health showed pausedUntil %s%n",
                ORDERS, pausing.putTimes().size(), pauses, pausing.earlyRequests(), CountingVendor.CROSSING_MILLIS, pausing.crossingRequests(), shown);

        // The order whose PUT got the ask tries again no sooner than asked: exact, nothing of it can be on its way.
        for (CountingVendor.Pause p : pauses) {
            assertThat(pausing.arrivals(p.key())).as("PUTs of the order that got %s", p)
                    .filteredOn(at -> at.isAfter(p.askedAt())).isNotEmpty().allSatisfy(at -> assertThat(at).isAfterOrEqualTo(p.until()));
        }
        // Nor does any other order's, save those already on their way (arriving within CROSSING_MILLIS of the ask).
        assertThat(pausing.earlyRequests()).as("PUTs that arrived before the instant the vendor asked for: %s", pausing.early()).isZero();
        assertThat(synced(ids)).isEqualTo(ORDERS);
        assertThat(pauses).hasSize(3).extracting(CountingVendor.Pause::status).containsExactly(429, 503, 429);
        assertThat(pauses.get(1).retryAfter()).as("the HTTP-date form").endsWith(" GMT");
        // Each call is one attempt of its order: the pause's answer counted once, the waits not at all.
        Integer attempts = jdbc().queryForObject("SELECT sum(attempts) FROM orders WHERE vendor = 'pausing'", Integer.class);
        assertThat(attempts).isEqualTo(pausing.putTimes().size());
        Integer most = jdbc().queryForObject("SELECT max(attempts) FROM orders WHERE vendor = 'pausing'", Integer.class);
        assertThat(most).as("attempts of the order that tried most (4 is the limit)").isLessThan(4);
        assertThat(count("SELECT count(*) FROM orders WHERE vendor = 'pausing' AND status = 'FAILED'")).isZero();
        // While it lasted, /health named the end of a pause the vendor asked for: at or just after its instant
        // (later by the lane's reaction, or by the rest of the pause the vendor gave a call crossing the ask).
        assertThat(shown).isNotEmpty().allSatisfy(at -> assertThat(pauses).anySatisfy(p -> assertThat(Instant.parse(at))
                .isBetween(p.until(), p.until().plusMillis(2000))));
    }

    private int count(String sql) {
        Integer n = jdbc().queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }
}
