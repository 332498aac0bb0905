package dev.aggregator.delivery;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delivery lanes against vendors that are HTTP servers of their own with a real vendor's latency: a vendor
 * that hangs stalls only its own lane; a vendor that is down for a while opens its breaker, gets few calls,
 * and its orders wait and are delivered once it is back, none FAILED.
 */
class LanesIT extends AggregatorTestSupport {

    // Set in settings(), which runs from the base class's constructor: no initializers here.
    private CountingVendor fast;
    private CountingVendor stuck;
    private CountingVendor flaky;
    private CountingVendor twice;

    @Override
    protected void settings(Properties p) {
        fast = outsideVendor("fast", 20, 100);
        stuck = outsideVendor("stuck", 20, 100);
        flaky = outsideVendor("flaky", 40, 50);
        twice = outsideVendor("twice", 5, 300);
        p.setProperty("VENDOR_URL_1", fast.url());
        p.setProperty("VENDOR_URL_2", stuck.url());
        p.setProperty("VENDOR_URL_3", flaky.url());
        p.setProperty("VENDOR_URL_4", twice.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("VENDOR_TIMEOUT_2", "5s");
        p.setProperty("aggregator.delivery.breaker.open-ms", "2000");
        p.setProperty("camel.main.shutdown-timeout", "5");
    }

    @BeforeEach
    void catalogues() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> productCount("fast") == 20 && productCount("stuck") == 20 && productCount("flaky") == 40
                        && productCount("twice") == 5);
    }


    @Test
    void aHangingVendorDoesNotDelayAnotherVendorsOrders() throws Exception {
        stuck.mode(CountingVendor.Mode.HANG);
        List<String> stuckOrders = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            stuckOrders.add(order("stuck", 1 + i % 20));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> stuck.putTimes().size() >= 16);

        long start = System.nanoTime();
        List<String> healthy = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            healthy.add(order("fast", 1 + i % 20));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> synced(healthy) == 60);
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        System.out.printf("60 orders to a 100 ms vendor SYNCED in %d ms while another vendor hangs%n", tookMs);
        // The hanging vendor's orders are all still waiting for it: nothing of theirs moved.
        for (String id : stuckOrders) {
            assertThat(json(get("/orders/" + id)).get("status").asText()).isEqualTo("PENDING");
        }
        assertThat(fast.putsByKey().keySet()).containsAll(healthy);
        stuck.mode(CountingVendor.Mode.OK);
    }

    @Test
    void aVendorDownForAWhileGetsFewCallsAndItsOrdersWaitInsteadOfFailing() throws Exception {
        flaky.mode(CountingVendor.Mode.FAIL);
        int callsBefore = flaky.putTimes().size();
        long outageStart = System.nanoTime();
        // Orders keep arriving during the outage: 30, one every 250 ms, from a scheduler.
        List<String> ids = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger(1);
        java.util.concurrent.ScheduledExecutorService pacer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor();
        try {
            pacer.scheduleAtFixedRate(() -> {
                int product = next.getAndIncrement();
                if (product <= 30) {
                    try {
                        ids.add(order("flaky", product));
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, 0, 250, java.util.concurrent.TimeUnit.MILLISECONDS);
            // While they arrive, the breaker opens, and /health and the metrics say so.
            JsonNode lane = await().atMost(Duration.ofSeconds(6)).until(() -> json(get("/health")).get("vendors").get("flaky"),
                    l -> l.get("breaker").asText().equals("open") || l.get("breaker").asText().equals("half_open"));
            assertThat(lane.get("lastError").asText()).contains("503");
            assertThat(get("/metrics").body()).containsPattern("aggregator_vendor_breaker_state\\{vendor=\"flaky\"} [12]");
            await().atMost(Duration.ofSeconds(20)).until(() -> ids.size() == 30);
        } finally {
            pacer.shutdownNow();
        }
        flaky.mode(CountingVendor.Mode.OK);
        int callsDuringOutage = flaky.putTimes().size() - callsBefore;
        System.out.printf("vendor down for %d ms while 30 orders arrived: %d calls%n", (System.nanoTime() - outageStart) / 1_000_000, callsDuringOutage);
        assertThat(callsDuringOutage).isLessThanOrEqualTo(30);

        await().atMost(Duration.ofSeconds(30)).until(() -> synced(ids) == 30);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE vendor = 'flaky' AND status = 'FAILED'", Integer.class)).isZero();
        for (String id : ids) {
            assertThat(flaky.putsByKey().get(id)).as("applied once: " + id).isNotNull();
            assertThat(flaky.putsByKey().get(id).get()).isEqualTo(1);
        }
        assertThat(json(get("/health")).get("vendors").get("flaky").get("breaker").asText()).isEqualTo("closed");
    }

    /**
     * Issue 14, defect 2: two copies of one order in flight (a relay after a slow fast path, a
     * reconciliation re-send); the vendor refuses the first (FAILED, stock released) and accepts the
     * second. The vendor holds the order, so its 2xx wins: SYNCED, and the stock leaves vendor_stock.
     */
    @Test
    void aVendorsAcceptanceWinsOverAnEarlierFailureOfTheSameOrder() throws Exception {
        twice.mode(CountingVendor.Mode.REFUSE_FIRST);
        int stockBefore = jdbc().queryForObject("SELECT vendor_stock FROM products WHERE vendor = 'twice' AND product_id = '2'", Integer.class);
        String id = order("twice", 2);
        String payload = dev.aggregator.order.OutboxPublisher.payload(java.util.UUID.fromString(id), "twice", "2", 1);
        org.springframework.amqp.core.MessageProperties props = new org.springframework.amqp.core.MessageProperties();
        props.setContentType("application/json");
        rabbit().send("", "sync_to_external", new org.springframework.amqp.core.Message(payload.getBytes(), props));

        await().atMost(Duration.ofSeconds(10)).until(() -> twice.putTimes().size() >= 2);
        JsonNode order = awaitStatus(id, "SYNCED", Duration.ofSeconds(10));
        assertThat(order.get("failedAt").isNull()).isTrue();
        assertThat(jdbc().queryForObject("SELECT vendor_stock FROM products WHERE vendor = 'twice' AND product_id = '2'", Integer.class))
                .isEqualTo(stockBefore - 1);
        assertThat(jdbc().queryForObject("SELECT reserved FROM products WHERE vendor = 'twice' AND product_id = '2'", Integer.class)).isZero();
        twice.mode(CountingVendor.Mode.OK);
    }

    /** Issue 14, defect 5: an order whose vendor is no longer configured ends FAILED once, with its stock back. */
    @Test
    void anOrderForAVendorNoLongerConfiguredFailsOnceWithItsStockBack() throws Exception {
        String id = java.util.UUID.randomUUID().toString();
        jdbc().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, reserved, raw, fetched_at) "
                + "VALUES ('gone', 'g1', 'Gone', 1.00, 10, 2, '{}', now())");
        jdbc().update("INSERT INTO orders (order_id, vendor, product_id, quantity, unit_price, request_fingerprint, response) "
                + "VALUES (?::uuid, 'gone', 'g1', 2, 1.00, 'x', '{}')", id);
        String payload = dev.aggregator.order.OutboxPublisher.payload(java.util.UUID.fromString(id), "gone", "g1", 2);
        org.apache.camel.builder.NotifyBuilder copiesRouted = new org.apache.camel.builder.NotifyBuilder(context)
                .fromRoute("order-lane-router").filter(e -> e.getMessage().getBody(String.class).contains(id)).whenDone(2).create();
        for (int i = 0; i < 2; i++) { // a duplicate, as a reconciliation re-send would make
            org.springframework.amqp.core.MessageProperties props = new org.springframework.amqp.core.MessageProperties();
            props.setContentType("application/json");
            rabbit().send("", "sync_to_external", new org.springframework.amqp.core.Message(payload.getBytes(), props));
        }
        JsonNode order = awaitStatus(id, "FAILED");
        assertThat(order.get("lastError").asText()).contains("vendor 'gone' is no longer configured");
        assertThat(jdbc().queryForObject("SELECT reserved FROM products WHERE vendor = 'gone'", Integer.class)).isZero();
        // Both copies have been through the router before the letters are counted.
        assertThat(copiesRouted.matches(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        List<String> letters = new ArrayList<>();
        org.springframework.amqp.core.Message letter;
        while ((letter = rabbit().receive("sync_to_external_dlq", 1000)) != null) {
            letters.add((String) letter.getMessageProperties().getHeader("x-order-id"));
        }
        assertThat(letters.stream().filter(id::equals).count()).as("one letter, not one per copy").isEqualTo(1);
        // The letter was confirmed, so the copy kept with the FAILED status is gone (deleted by its letter id).
        await().atMost(Duration.ofSeconds(5))
                .until(() -> jdbc().queryForObject("SELECT count(*) FROM dead_letter_outbox WHERE order_id = ?::uuid", Integer.class, id) == 0);
    }

    @Test
    void anUnusableMessageIsDeadLetteredAsItCameWithTheReasonAndNoOrder() throws Exception {
        String marker = java.util.UUID.randomUUID().toString();
        String notJson = "not json " + marker;
        String noId = "{\"orderId\":\"nope\",\"marker\":\"" + marker + "\"}";
        for (String body : List.of(notJson, noId)) {
            org.springframework.amqp.core.MessageProperties props = new org.springframework.amqp.core.MessageProperties();
            props.setContentType("application/json");
            rabbit().send("", "sync_to_external", new org.springframework.amqp.core.Message(body.getBytes(), props));
        }
        java.util.Map<String, org.springframework.amqp.core.MessageProperties> letters = new java.util.HashMap<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            org.springframework.amqp.core.Message m = rabbit().receive("sync_to_external_dlq", 500);
            if (m != null && new String(m.getBody()).contains(marker)) {
                letters.put(new String(m.getBody()), m.getMessageProperties());
            }
            return letters.size() == 2;
        });
        assertThat(letters.get(notJson).getHeaders()).containsKey("x-failure-reason")
                .containsEntry("x-attempts", 0).containsEntry("x-original-queue", "sync_to_external")
                .containsKeys("x-dead-letter-id", "x-failed-at");
        assertThat(letters.get(notJson).getHeaders().get("x-failure-reason").toString()).endsWith("message is not JSON");
        assertThat(letters.get(noId).getHeaders().get("x-failure-reason").toString()).endsWith("message has no valid orderId");
        for (org.springframework.amqp.core.MessageProperties letter : letters.values()) {
            assertThat(letter.getHeaders().get("x-order-id")).as("no order named").isNull();
        }
        assertThat(jdbc().queryForObject("SELECT count(*) FROM dead_letter_outbox", Integer.class)).isZero();
    }
}
