package dev.aggregator.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, items 5 and 9, on the real broker: a lane queue deleted under the service comes back and the
 * orders published meanwhile are delivered (the broker confirmed and dropped them before); orders merely
 * queued behind a rate limit are never re-sent by reconciliation (each got a copy every period before).
 */
class LaneQueueIT extends AggregatorTestSupport {

    private CountingVendor gone;
    private CountingVendor slow;

    @Override
    protected void settings(Properties p) {
        gone = outsideVendor("gone", 10, 20);
        slow = outsideVendor("slow", 10, 20);
        p.setProperty("VENDOR_URL_1", gone.url());
        p.setProperty("VENDOR_URL_2", slow.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("VENDOR_RATE_LIMIT_2", "1");
        p.setProperty("VENDOR_CONCURRENCY_2", "2");
        // Reconciliation looks every second at orders untouched for 2 s; lanes mark what they hold every second.
        p.setProperty("aggregator.reconcile.period-ms", "1000");
        p.setProperty("aggregator.reconcile.pending-after-seconds", "2");
        p.setProperty("aggregator.delivery.touch-held-ms", "1000");
        p.setProperty("aggregator.delivery.lane-check-ms", "500");
    }

    @BeforeEach
    void catalogues() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("gone") == 10 && productCount("slow") == 10);
    }

    /** Item 9: `rabbitmqctl delete_queue` on a lane queue; orders placed after it are SYNCED, none swallowed. */
    @Test
    void aDeletedLaneQueueComesBackAndNoOrderIsSwallowed() throws Exception {
        String before = order("gone", 1);
        awaitStatus(before, "SYNCED", Duration.ofSeconds(10));
        TestServices.rabbitmqctl("delete_queue", "-p", vhost, "sync_to_external.gone");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(order("gone", 2 + i));
        }
        for (String id : ids) {
            awaitStatus(id, "SYNCED", Duration.ofSeconds(20));
            assertThat(gone.putsByKey().get(id).get()).as("applied once: " + id).isEqualTo(1);
        }
        // The queue is there again, with the lane consuming it.
        await().atMost(Duration.ofSeconds(10)).until(() -> TestServices.rabbitmqctl("list_queues", "-p", vhost, "-q", "name", "consumers")
                .lines().anyMatch(l -> l.matches("sync_to_external\\.gone\\s+[1-9]\\d*")));
        assertThat(resent()).isZero();
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
