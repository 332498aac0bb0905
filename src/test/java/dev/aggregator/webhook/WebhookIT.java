package dev.aggregator.webhook;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;
import testvendors.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Status webhooks against a receiver of the test's own that checks each signature and fails for a while
 * (5xx, then requests left unanswered past the time-out), then recovers: every order.synced and order.failed
 * arrives, each at least once, signed, with the order as GET /orders/{id} shows it; a per-order callbackUrl
 * gets its own copy, and one naming a host the operator did not list is a 400.
 */
class WebhookIT extends AggregatorTestSupport {

    private static final String SECRET = "whsec_it_secret";

    private CountingVendor shop;
    private WebhookReceiver receiver;
    private WebhookReceiver callbacks;

    @Override
    protected void settings(Properties p) {
        shop = outsideVendor("shop", 30, 20);
        try {
            receiver = new WebhookReceiver(SECRET);
            callbacks = new WebhookReceiver(SECRET);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.setProperty("VENDOR_URL_1", shop.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("WEBHOOK_URL", receiver.url("/hooks/orders"));
        p.setProperty("WEBHOOK_SECRET", SECRET);
        p.setProperty("WEBHOOK_ALLOWED_HOSTS", "127.0.0.1, *.shop.example");
        p.setProperty("aggregator.webhooks.relay-period-ms", "200");
        p.setProperty("aggregator.webhooks.timeout-ms", "1000");
        p.setProperty("aggregator.webhooks.backoff-first-ms", "200");
        p.setProperty("aggregator.webhooks.backoff-max-ms", "1000");
    }

    @AfterAll
    void closeReceivers() {
        receiver.close();
        callbacks.close();
    }

    @Test
    void everyEventArrivesSignedAtLeastOnceThoughTheReceiverFailsForAWhile() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 30);
        // 8 answers 503, then 3 requests unanswered for 3 s (the time-out is 1 s), then 2xx
        receiver.failFor(8, 3, Duration.ofSeconds(3));
        int failedRequests = 8 + 3;

        List<String> synced = new ArrayList<>();
        for (int product = 1; product <= 10; product++) {
            synced.add(order("shop", product));
        }
        for (String id : synced) {
            awaitStatus(id, "SYNCED");
        }
        shop.mode(CountingVendor.Mode.REFUSE_FIRST); // a 409: permanent, the order FAILED at once
        List<String> failed = new ArrayList<>();
        for (int product = 11; product <= 15; product++) {
            failed.add(order("shop", product));
        }
        for (String id : failed) {
            awaitStatus(id, "FAILED");
        }
        shop.mode(CountingVendor.Mode.OK); // now, so a failure below does not leave the other tests' orders refused

        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertThat(receiver.orderIds("order.synced")).containsExactlyInAnyOrderElementsOf(synced);
            assertThat(receiver.orderIds("order.failed")).containsExactlyInAnyOrderElementsOf(failed);
        });
        assertThat(receiver.badSignatures()).isEmpty();
        assertThat(receiver.requests()).as("the receiver's failures were met").isGreaterThanOrEqualTo(15 + failedRequests);
        // delivered events leave the outbox
        List<String> all = new ArrayList<>(synced);
        all.addAll(failed);
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc().queryForObject(
                "SELECT count(*) FROM webhook_outbox WHERE order_id::text = ANY (?)", Integer.class, (Object) all.toArray(new String[0])) == 0);

        for (var deliveries : receiver.received().values()) {
            JsonNode event = deliveries.get(0);
            assertThat(event.get("createdAt").asText()).endsWith("Z");
            JsonNode order = event.get("order");
            JsonNode now = json(get("/orders/" + order.get("orderId").asText()));
            if (event.get("type").asText().equals("order.synced")) {
                assertThat(order.get("status").asText()).isEqualTo("SYNCED");
                // nothing changes a SYNCED order: the event's order is GET /orders/{id}'s, field for field
                assertThat(order).isEqualTo(now);
            } else {
                assertThat(order.get("status").asText()).isEqualTo("FAILED");
                assertThat(order.get("failedAt")).isEqualTo(now.get("failedAt"));
                assertThat(order.get("lastError").asText()).contains("409");
                assertThat(order.get("unitPrice")).isEqualTo(now.get("unitPrice"));
            }
        }
    }

    @Test
    void aCallbackUrlOfAnAllowedHostGetsItsOwnCopy() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 30);
        HttpResponse<String> r = post("{\"id\":\"20\",\"vendor\":\"shop\",\"quantity\":1,\"callbackUrl\":\""
                + callbacks.url("/cb?shop=1") + "\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r).get("orderId").asText();
        awaitStatus(id, "SYNCED");
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(callbacks.orderIds("order.synced")).containsExactly(id);
            assertThat(receiver.orderIds("order.synced")).contains(id);
        });
        assertThat(callbacks.badSignatures()).isEmpty();
    }

    @Test
    void aCallbackUrlOfAnyOtherHostIsA400NamingIt() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 30);
        int before = jdbc().queryForObject("SELECT count(*) FROM orders", Integer.class);
        for (String url : List.of("http://10.0.0.5/hooks", "http://internal.example/x", "ftp://127.0.0.1/x", "not a url",
                "http://user:pw@127.0.0.1/x")) {
            HttpResponse<String> r = post("{\"id\":\"21\",\"vendor\":\"shop\",\"quantity\":1,\"callbackUrl\":\"" + url + "\"}");
            assertThat(r.statusCode()).as(url + ": " + r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("detail").asText()).contains("callbackUrl");
        }
        HttpResponse<String> r = post("{\"id\":\"21\",\"vendor\":\"shop\",\"quantity\":1,\"callbackUrl\":42}");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("callbackUrl");
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(before);
        // a subdomain of a "*." entry is allowed (nothing listens there: the event just waits in the outbox)
        r = post("{\"id\":\"21\",\"vendor\":\"shop\",\"quantity\":1,\"callbackUrl\":\"https://eu.shop.example/hooks\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    /**
     * The cancel (another part of issue 26) calls WebhookOutbox.orderCancelled in its transaction; until it lands
     * no order can be CANCELLED (the status's CHECK), so this calls the hook on a finished order directly.
     */
    @Test
    void theCancelHookSendsAnOrderCancelledEvent() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 30);
        String id = order("shop", 25);
        awaitStatus(id, "SYNCED");
        WebhookOutbox hook = context.getRegistry().lookupByNameAndType("webhookOutbox", WebhookOutbox.class);
        assertThat(hook.orderCancelled(java.util.UUID.fromString(id))).isEqualTo(1);
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(receiver.orderIds("order.cancelled")).containsExactly(id));
        assertThat(receiver.badSignatures()).isEmpty();
    }
}
