package dev.aggregator.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Orders whose vendor stays down longer than the waiting limit end FAILED, dead-lettered, with their stock returned. */
class LaneWaitLimitIT extends AggregatorTestSupport {

    private CountingVendor down;

    @Override
    protected void settings(Properties p) {
        down = outsideVendor("down", 10, 20);
        p.setProperty("VENDOR_URL_1", down.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("aggregator.delivery.max-wait-seconds", "4");
        p.setProperty("aggregator.delivery.breaker.open-ms", "1000");
        p.setProperty("aggregator.delivery.backoff-ms", "100");
    }


    @Test
    void ordersThatWaitedPastTheLimitFailAndGiveTheirStockBack() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("down") == 10);
        int before = available("3");
        down.mode(CountingVendor.Mode.FAIL);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ids.add(json(post("{\"id\":\"3\",\"vendor\":\"down\",\"quantity\":2}")).get("orderId").asText());
        }
        assertThat(available("3")).isEqualTo(before - 12);

        for (String id : ids) {
            JsonNode order = awaitStatus(id, "FAILED", Duration.ofSeconds(30));
            assertThat(order.get("lastError").asText()).contains("longer than the limit of 4 s");
        }
        assertThat(available("3")).isEqualTo(before);
        List<String> lettered = new ArrayList<>();
        Message m;
        while ((m = rabbit().receive("sync_to_external_dlq", 2000)) != null) {
            lettered.add((String) m.getMessageProperties().getHeader("x-order-id"));
        }
        assertThat(lettered).containsExactlyInAnyOrderElementsOf(ids);
        // The breaker kept the calls few: the first failures opened it, then one probe per second.
        System.out.println("calls to a vendor down for the whole wait: " + down.putTimes().size());
        assertThat(down.putTimes().size()).isLessThan(6 * 4);
    }

    private int available(String product) {
        Integer n = jdbc().queryForObject("SELECT vendor_stock - reserved FROM products WHERE vendor = 'down' AND product_id = ?",
                Integer.class, product);
        return n == null ? 0 : n;
    }
}
