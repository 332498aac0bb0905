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
 * pauses its whole lane. With four orders in flight and a rate limit holding more, the vendor asks three
 * times for 2 s of quiet: it never gets a request sooner than it asked, the pause shows in /health while it
 * lasts, and no order spends its attempts on it. Before, the paused order came back after 500 ms of backoff
 * and the lane's other orders kept calling throughout.
 */
class RetryAfterIT extends AggregatorTestSupport {

    private static final int ORDERS = 24;

    private CountingVendor pausing;

    @Override
    protected void settings(Properties p) {
        pausing = outsideVendor("pausing", 10, 50);
        p.setProperty("VENDOR_URL_1", pausing.url());
        p.setProperty("VENDOR_CONCURRENCY_1", "4");
        // the throttle holds calls too: one admitted before a pause began must not go out during it
        p.setProperty("VENDOR_RATE_LIMIT_1", "20");
    }

    @Test
    void aVendorsPauseHoldsTheWholeLaneAndCostsNoOrderItsAttempts() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("pausing") == 10);
        pausing.retryAfter(5, 2, 3);
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
        System.out.printf("%d orders, %d PUTs; pauses asked: %s; early requests %d, crossing the ask %d; /health showed pausedUntil %s%n",
                ORDERS, pausing.putTimes().size(), pauses, pausing.earlyRequests(), pausing.crossingRequests(), shown);

        assertThat(pausing.earlyRequests()).as("PUTs that arrived before the instant the vendor asked for").isZero();
        assertThat(synced(ids)).isEqualTo(ORDERS);
        assertThat(pauses).hasSize(3).extracting(CountingVendor.Pause::status).containsExactly(429, 503, 429);
        assertThat(pauses.get(1).retryAfter()).as("the HTTP-date form").endsWith(" GMT");
        // Each call is one attempt of its order: the pause's answer counted once, the waits not at all.
        Integer attempts = jdbc().queryForObject("SELECT sum(attempts) FROM orders WHERE vendor = 'pausing'", Integer.class);
        assertThat(attempts).isEqualTo(pausing.putTimes().size());
        Integer most = jdbc().queryForObject("SELECT max(attempts) FROM orders WHERE vendor = 'pausing'", Integer.class);
        assertThat(most).as("attempts of the order that tried most (4 is the limit)").isLessThanOrEqualTo(2 + pausing.crossingRequests());
        // While it lasted, /health named the end of a pause the vendor asked for: at or just after its instant.
        assertThat(shown).isNotEmpty().allSatisfy(at -> assertThat(pauses).anySatisfy(p -> assertThat(Instant.parse(at))
                .isBetween(p.until(), p.until().plusMillis(1500))));
    }
}
