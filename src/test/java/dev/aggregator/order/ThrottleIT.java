package dev.aggregator.order;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.demo.DemoVendor;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** VENDOR_RATE_LIMIT holds: 20 orders for one vendor at 5 per second take about three seconds to send. */
class ThrottleIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("VENDOR_RATE_LIMIT", "5");
    }

    @Test
    void ordersReachAVendorNoFasterThanItsRateLimit() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("vendorA") == 60);
        DemoVendor vendor = context.getRegistry().lookupByNameAndType("demoVendorA", DemoVendor.class);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = send("POST", "/order", "{\"id\":" + (10 + i) + ",\"vendor\":\"vendorA\",\"quantity\":1}",
                    "Content-Type", "application/json");
            assertThat(r.statusCode()).isEqualTo(202);
            ids.add(json(r).get("orderId").asText());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc().queryForObject(
                "SELECT count(*) FROM orders WHERE status = 'SYNCED'", Integer.class) == 20);
        List<Long> times = vendor.requestTimes();
        assertThat(times).hasSize(20);
        double spanSeconds = (times.stream().mapToLong(Long::longValue).max().getAsLong()
                - times.stream().mapToLong(Long::longValue).min().getAsLong()) / 1e9;
        // Unthrottled, 20 PUTs from 8 consumers take well under a second; at 5/s they need at least 3 s.
        assertThat(spanSeconds).isGreaterThanOrEqualTo(2.8);
    }
}
