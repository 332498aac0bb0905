package dev.aggregator.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, item 5, on the real broker: orders merely queued behind a rate limit are never re-sent by
 * reconciliation (each got a copy every period before), with reconciliation looking every second.
 */
class LaneQueueIT extends AggregatorTestSupport {

    private CountingVendor slow;

    @Override
    protected void settings(Properties p) {
        slow = outsideVendor("slow", 10, 20);
        p.setProperty("VENDOR_URL_1", slow.url());
        p.setProperty("VENDOR_RATE_LIMIT_1", "1");
        p.setProperty("VENDOR_CONCURRENCY_1", "2");
        // Reconciliation looks every second at orders untouched for 2 s; lanes mark what they hold every second.
        p.setProperty("aggregator.reconcile.period-ms", "1000");
        p.setProperty("aggregator.reconcile.pending-after-seconds", "2");
        p.setProperty("aggregator.delivery.touch-held-ms", "1000");
        p.setProperty("aggregator.delivery.lane-check-ms", "500");
    }

    @BeforeEach
    void catalogues() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("slow") == 10);
    }

    /** Item 5: 12 orders behind 1 PUT/s wait up to 12 s, six times the threshold, and none is re-sent. */
    @Test
    void ordersQueuedBehindTheRateLimitAreNotResent() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(order("slow", 1 + i % 10));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> synced(ids) == 12);
        // A re-sent copy finds the order SYNCED and sends nothing; the counter and the vendor say whether any was made.
        assertThat(resent()).isZero();
        assertThat(slow.putTimes()).hasSize(12);
        for (String id : ids) {
            assertThat(slow.putsByKey().get(id).get()).isEqualTo(1);
        }
    }

    private long resent() throws Exception {
        return get("/metrics").body().lines().filter(l -> l.startsWith("aggregator_reconcile_resent_total "))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.indexOf(' ') + 1))).sum();
    }
}
