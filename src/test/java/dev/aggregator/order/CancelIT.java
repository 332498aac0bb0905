package dev.aggregator.order;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * POST /orders/{id}/cancel racing the lane that delivers the same order to an outside vendor (its own HTTP
 * server, 150 ms per PUT, 20 PUTs/s: a backlog waits in the lane's prefetch and throttle, already read).
 */
class CancelIT extends AggregatorTestSupport {

    private testvendors.CountingVendor slow;

    @Override
    protected void settings(Properties p) {
        slow = outsideVendor("slow", 20, 150);
        p.setProperty("VENDOR_URL_1", slow.url());
        p.setProperty("VENDOR_RATE_LIMIT", "20");
        p.setProperty("ADMIN_TOKEN", "test-token");
        p.setProperty("aggregator.outbox.relay-period-ms", "200");
    }

    @BeforeEach
    void catalogue() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> productCount("slow") == 20);
    }

    private HttpResponse<String> cancel(String orderId) throws Exception {
        return send("POST", "/orders/" + orderId + "/cancel", null);
    }

    private String place(int product, int quantity) throws Exception {
        HttpResponse<String> r = post("{\"id\":\"" + product + "\",\"vendor\":\"slow\",\"quantity\":" + quantity + "}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("orderId").asText();
    }

    private boolean received(String orderId) {
        return slow.putsByKey().containsKey(orderId) || !slow.arrivals(orderId).isEmpty();
    }

    /** Every product: what is left to order plus what live orders hold is what the vendor listed (100,000 each). */
    private void stockIsConsistent() {
        List<Map<String, Object>> drift = jdbc().queryForList("""
                SELECT p.product_id, p.vendor_stock - p.reserved AS available, p.reserved,
                       COALESCE((SELECT sum(quantity) FROM orders o WHERE o.vendor = p.vendor AND o.product_id = p.product_id
                                  AND o.status IN ('PENDING', 'SYNCED')), 0) AS held,
                       COALESCE((SELECT sum(quantity) FROM orders o WHERE o.vendor = p.vendor AND o.product_id = p.product_id
                                  AND o.status = 'PENDING'), 0) AS pending
                  FROM products p WHERE p.vendor = 'slow'
                   AND (p.vendor_stock - p.reserved + COALESCE((SELECT sum(quantity) FROM orders o WHERE o.vendor = p.vendor
                        AND o.product_id = p.product_id AND o.status IN ('PENDING', 'SYNCED')), 0) <> 100000
                        OR p.reserved <> COALESCE((SELECT sum(quantity) FROM orders o WHERE o.vendor = p.vendor
                        AND o.product_id = p.product_id AND o.status = 'PENDING'), 0))""");
        assertThat(drift).as("products whose stock does not add up").isEmpty();
    }

    @Test
    void aCancelledOrderGivesItsStockBackAndIsNeverSentByRelayReplayOrLane() throws Exception {
        slow.mode(testvendors.CountingVendor.Mode.FAIL); // 503s: the order stays PENDING, retried
        try {
            String id = place(1, 3);
            Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> !slow.arrivals(id).isEmpty());
            // between retries the vendor has refused every call: cancellable; a retry due after this sends nothing
            HttpResponse<String> r = Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> cancel(id), a -> a.statusCode() == 200);
            JsonNode order = json(r);
            assertThat(order.get("status").asText()).isEqualTo("CANCELLED");
            assertThat(order.get("cancelledAt").isNull()).isFalse();
            int calls = slow.arrivals(id).size();
            assertThat(cancel(id).statusCode()).as("a repeated cancel").isEqualTo(200);
            // a copy of its message (what a relay or a reconciliation re-send publishes) reaches the lane
            rabbit().convertAndSend("sync_to_external", (Object) OutboxPublisher.payload(java.util.UUID.fromString(id), "slow", "1", 3).getBytes());
            // an operator's replay of its dead letter: refused, it stays CANCELLED
            HttpResponse<String> replay = send("POST", "/admin/orders/" + id + "/replay", null, "Authorization", "Bearer test-token");
            assertThat(replay.body()).contains("CANCELLED");
            slow.mode(testvendors.CountingVendor.Mode.OK);
            // a later order of the same lane goes through: the copy ahead of it was read and skipped by then
            String later = place(2, 1);
            awaitStatus(later, "SYNCED");
            assertThat(slow.arrivals(id)).as("calls after the cancel").hasSize(calls);
            assertThat(json(get("/orders/" + id)).get("status").asText()).isEqualTo("CANCELLED");
            assertThat(json(get("/orders?status=CANCELLED")).get("orders").findValuesAsText("orderId")).contains(id);
            assertThat(cancel(later).statusCode()).as("cancel of a SYNCED order").isEqualTo(409);
            assertThat(json(cancel(later)).get("detail").asText()).contains("SYNCED");
            assertThat(cancel(java.util.UUID.randomUUID().toString()).statusCode()).isEqualTo(404);
            stockIsConsistent();
        } finally {
            slow.mode(testvendors.CountingVendor.Mode.OK);
        }
    }

    /**
     * 200 orders, a cancel for each fired at a random moment in the ~10 s their delivery takes (20/s): each order ends
     * CANCELLED (cancel 200) and never received by the vendor, or SYNCED (cancel 409) and received; never both.
     */
    @Test
    void cancelsRacingTheLaneNeverLetAnOrderBeBothCancelledAndSent() throws Exception {
        Map<String, HttpResponse<String>> answers = new ConcurrentHashMap<>();
        ScheduledExecutorService pool = Executors.newScheduledThreadPool(16);
        List<String> ids = new ArrayList<>();
        try {
            // placed by 16 clients at once, so the whole backlog is there before the lane is through it
            List<java.util.concurrent.Future<String>> placed = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                int n = i;
                placed.add(pool.submit(() -> place(1 + n % 20, 1 + n % 3)));
            }
            for (java.util.concurrent.Future<String> f : placed) {
                ids.add(f.get(60, TimeUnit.SECONDS));
            }
            List<ScheduledFuture<?>> fired = new ArrayList<>();
            for (String id : ids) {
                fired.add(pool.schedule(() -> answers.put(id, cancel(id)), ThreadLocalRandom.current().nextLong(11_000), TimeUnit.MILLISECONDS));
            }
            for (ScheduledFuture<?> f : fired) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> finished(ids) == ids.size());
        int cancelled = 0;
        int synced = 0;
        int inFlight = 0;
        for (String id : ids) {
            String status = json(get("/orders/" + id)).get("status").asText();
            HttpResponse<String> answer = answers.get(id);
            if ("CANCELLED".equals(status)) {
                cancelled++;
                assertThat(answer.statusCode()).as("cancel of %s", id).isEqualTo(200);
                assertThat(received(id)).as("vendor received cancelled order %s", id).isFalse();
            } else {
                assertThat(status).as("order %s", id).isEqualTo("SYNCED");
                synced++;
                assertThat(answer.statusCode()).as("cancel of %s: %s", id, answer.body()).isEqualTo(409);
                assertThat(received(id)).isTrue();
                inFlight += json(answer).get("detail").asText().contains("being sent") ? 1 : 0;
            }
        }
        assertThat(cancelled).as("cancelled (cancel answers: %s)", answers.values().stream().map(HttpResponse::body).limit(3).toList()).isPositive();
        assertThat(synced).as("synced").isPositive();
        stockIsConsistent();
        org.slf4j.LoggerFactory.getLogger(CancelIT.class).info("Race: {} cancelled, {} synced ({} refused while their call was in flight)",
                cancelled, synced, inFlight);
    }
}
