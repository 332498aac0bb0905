package dev.aggregator.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, item 9, on the real broker: a lane queue deleted under the service comes back with its consumer
 * and the orders published meanwhile are delivered; the broker confirmed and dropped them before. Default
 * reconciliation (300 s): nothing here is rescued by it.
 */
class LaneQueueDeletedIT extends AggregatorTestSupport {

    private CountingVendor gone;

    @Override
    protected void settings(Properties p) {
        gone = outsideVendor("gone", 10, 20);
        p.setProperty("VENDOR_URL_1", gone.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("aggregator.delivery.lane-check-ms", "500");
    }

    /** Item 9: `rabbitmqctl delete_queue` on a lane queue; orders placed after it are SYNCED, none swallowed. */
    @Test
    void aDeletedLaneQueueComesBackAndNoOrderIsSwallowed() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("gone") == 10);
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
        assertThat(get("/metrics").body()).doesNotContain("aggregator_reconcile_resent_total");
    }
}
