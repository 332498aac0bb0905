package dev.aggregator.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, item 6: orders waiting on an open breaker ask again every recheck-ms for as long as they wait.
 * The recheck inherited the transient policy's doubling (2, 4, 8, 16 s), so orders went out 8 s and 32 s
 * after the vendor was back.
 */
class BreakerRecheckIT extends AggregatorTestSupport {

    private CountingVendor down;

    @Override
    protected void settings(Properties p) {
        down = outsideVendor("down", 10, 20);
        p.setProperty("VENDOR_URL_1", down.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("aggregator.delivery.breaker.open-ms", "1000");
        p.setProperty("aggregator.delivery.breaker.recheck-ms", "1000");
    }

    @Test
    void waitingOrdersGoOutWithinARecheckOfTheVendorsReturn() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("down") == 10);
        down.mode(CountingVendor.Mode.FAIL);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(order("down", 1 + i));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> "open".equals(json(get("/health")).at("/vendors/down/breaker").asText())
                || "half_open".equals(json(get("/health")).at("/vendors/down/breaker").asText()));
        // The outage lasts 20 s, long enough for a doubling recheck to reach 16 s between two looks.
        await().during(Duration.ofSeconds(20)).atMost(Duration.ofSeconds(21)).until(() -> synced(ids) == 0);
        long healed = System.nanoTime();
        down.mode(CountingVendor.Mode.OK);
        await().atMost(Duration.ofSeconds(15)).until(() -> synced(ids) == ids.size());
        long tookMs = (System.nanoTime() - healed) / 1_000_000;
        System.out.printf("6 orders that waited 20 s on an open breaker: all SYNCED %d ms after the vendor was back%n", tookMs);
        // one probe after open-ms (1 s) plus one recheck (1 s), with room for a busy machine
        assertThat(tookMs).isLessThan(4_500);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE vendor = 'down' AND status = 'FAILED'", Integer.class)).isZero();
    }
}
