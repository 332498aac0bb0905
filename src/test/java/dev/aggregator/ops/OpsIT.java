package dev.aggregator.ops;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.demo.DemoVendor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The operators' tools against the real broker and database: dead letters, metrics, OpenAPI, reconciliation, logs. */
class OpsIT extends AggregatorTestSupport {

    private static final String TOKEN = "ops-token";
    private static final String DLQ = "/admin/dlq/" + QueueTopology.TO_EXTERNAL_DLQ;

    @Override
    protected void settings(Properties p) {
        // These tests fail single orders on purpose; the breaker (which would make them wait) is LanesIT's.
        p.setProperty("aggregator.delivery.breaker.window", "1000");
        p.setProperty("aggregator.delivery.breaker.minimum-calls", "1000");
        p.setProperty("ADMIN_TOKEN", TOKEN);
        p.setProperty("aggregator.delivery.backoff-ms", "50");
        p.setProperty("aggregator.reconcile.period-ms", "1000");
        p.setProperty("aggregator.reconcile.pending-after-seconds", "2");
    }

    @BeforeEach
    void firstSync() {
        awaitDemoCatalogues();
    }

    @AfterEach
    void calmVendor() {
        vendorB().setFaults(DemoVendor.Faults.NONE);
    }

    @Test
    void theAdminApiNeedsTheToken() throws Exception {
        HttpResponse<String> none = get(DLQ);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send("GET", DLQ, null, "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(send("POST", DLQ + "/replay", null, "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
        assertThat(send("DELETE", DLQ + "/x", null).statusCode()).isEqualTo(401);
        assertThat(admin("GET", DLQ).statusCode()).isEqualTo(200);
        assertThat(admin("GET", "/admin/dlq/sync_to_external").statusCode()).isEqualTo(404);
    }

    @Test
    void deadLettersCanBeBrowsedReplayedRefusedAndDiscarded() throws Exception {
        vendorB().setFaults(new DemoVendor.Faults(1000, 503, 0, 0));
        List<String> orders = new ArrayList<>();
        for (String product : List.of("VB-1020", "VB-1021", "VB-1022")) {
            orders.add(json(post("{\"id\":\"" + product + "\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText());
        }
        for (String id : orders) {
            awaitStatus(id, "FAILED");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> json(admin("GET", DLQ)).get("total").asInt() == 3);

        // Browsing twice sees the same letters in the same order, and leaves them all in the queue.
        JsonNode first = json(admin("GET", DLQ));
        JsonNode second = json(admin("GET", DLQ));
        // The three failed concurrently, so the queue holds them in the order they failed, not as posted.
        assertThat(first.get("deadLetters").findValuesAsText("orderId")).containsExactlyInAnyOrderElementsOf(orders);
        List<String> queued = first.get("deadLetters").findValuesAsText("orderId");
        assertThat(second.get("deadLetters").findValuesAsText("messageId")).isEqualTo(first.get("deadLetters").findValuesAsText("messageId"));
        assertThat(first.at("/deadLetters/0/attempts").asInt()).isEqualTo(4);
        assertThat(first.at("/deadLetters/0/reason").asText()).contains("503");
        assertThat(depth(QueueTopology.TO_EXTERNAL_DLQ)).isEqualTo(3);

        // The vendor is fixed; replaying one puts it back to PENDING and it gets delivered.
        vendorB().setFaults(DemoVendor.Faults.NONE);
        String one = first.at("/deadLetters/0/messageId").asText();
        JsonNode replayed = json(admin("POST", DLQ + "/replay/" + one));
        assertThat(replayed.get("replayed").findValuesAsText("")).isEmpty();
        assertThat(replayed.get("replayed").get(0).asText()).isEqualTo(one);
        awaitStatus(queued.get(0), "SYNCED");
        assertThat(json(admin("GET", DLQ)).get("deadLetters").findValuesAsText("orderId")).containsExactly(queued.get(1), queued.get(2));

        // When the stock is gone, a replay is refused with the reason and the letter stays.
        String product2 = json(get("/orders/" + queued.get(1))).get("id").asText();
        jdbc().update("UPDATE products SET vendor_stock = reserved WHERE vendor = 'vendorB' AND product_id = ?", product2);
        String two = first.at("/deadLetters/1/messageId").asText();
        JsonNode refused = json(admin("POST", DLQ + "/replay/" + two));
        assertThat(refused.get("refused").get(0).get("reason").asText()).contains("not enough stock");
        JsonNode order2 = json(get("/orders/" + queued.get(1)));
        assertThat(order2.get("status").asText()).isEqualTo("FAILED");
        assertThat(order2.get("lastError").asText()).contains("not enough stock");
        assertThat(depth(QueueTopology.TO_EXTERNAL_DLQ)).isEqualTo(2);

        // Discard one: gone from the queue; a second discard of it is a 404.
        String three = first.at("/deadLetters/2/messageId").asText();
        assertThat(admin("DELETE", DLQ + "/" + three).statusCode()).isEqualTo(200);
        assertThat(admin("DELETE", DLQ + "/" + three).statusCode()).isEqualTo(404);
        assertThat(json(admin("GET", DLQ)).get("deadLetters").findValuesAsText("messageId")).containsExactly(two);
        assertThat(admin("POST", DLQ + "/replay/no-such-letter").statusCode()).isEqualTo(404);
    }

    @Test
    void aStockDeadLetterReplaysIntoTheStockQueue() throws Exception {
        String envelope = "{\"vendor\":\"vendorA\",\"source\":\"test\",\"fetchedAt\":\"" + Instant.now()
                + "\",\"product\":{\"id\":5555,\"title\":\"Parked during an outage\",\"price\":4.5,\"stock\":3}}";
        MessageProperties props = new MessageProperties();
        props.setContentType("application/json");
        props.setHeader("x-failure-reason", "database was down");
        props.setHeader("x-dead-letter-id", "stock-letter-1");
        rabbit().send("", QueueTopology.FROM_EXTERNAL_DLQ, new Message(envelope.getBytes(), props));
        String path = "/admin/dlq/" + QueueTopology.FROM_EXTERNAL_DLQ;
        await().atMost(Duration.ofSeconds(10)).until(() -> json(admin("GET", path)).get("total").asInt() == 1);
        assertThat(json(admin("GET", path)).at("/deadLetters/0/reason").asText()).isEqualTo("database was down");

        JsonNode replay = json(admin("POST", path + "/replay"));
        assertThat(replay.get("replayed").get(0).asText()).isEqualTo("stock-letter-1");
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc().queryForObject(
                "SELECT count(*) FROM products WHERE vendor='vendorA' AND product_id='5555'", Integer.class) == 1);
        assertThat(json(admin("GET", path)).get("total").asInt()).isZero();
    }

    @Test
    void metricsAfterTraffic() throws Exception {
        vendorB().setFaults(new DemoVendor.Faults(1, 503, 0, 0));
        String id = json(post("{\"id\":\"VB-1030\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(id, "SYNCED");
        assertThat(post("{\"id\":\"VB-1030\",\"vendor\":\"vendorB\",\"quantity\":100000}").statusCode()).isEqualTo(400);
        assertThat(post("{\"id\":\"VB-1030\",\"vendor\":\"vendorB\",\"quantity\":9999}").statusCode()).isEqualTo(409);

        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            HttpResponse<String> r = get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
            assertThat(r.body())
                    .containsPattern("aggregator_orders_accepted_total\\{vendor=\"vendorB\"} [1-9]")
                    .containsPattern("aggregator_orders_rejected_total\\{reason=\"insufficient_stock\"} [1-9]")
                    .containsPattern("aggregator_orders_rejected_total\\{reason=\"bad_request\"} [1-9]")
                    .containsPattern("aggregator_vendor_put_seconds_count\\{outcome=\"transient\",vendor=\"vendorB\"} [1-9]")
                    .containsPattern("aggregator_vendor_put_seconds_count\\{outcome=\"success\",vendor=\"vendorB\"} [1-9]")
                    .containsPattern("aggregator_orders_finished_total\\{status=\"SYNCED\",vendor=\"vendorB\"} [1-9]")
                    .containsPattern("aggregator_products_synced_total\\{vendor=\"vendorA\"} [1-9]")
                    .containsPattern("aggregator_sync_lag_seconds\\{vendor=\"vendorA\"} \\d")
                    .containsPattern("aggregator_queue_depth\\{queue=\"sync_to_external_dlq\"} \\d")
                    .containsPattern("camel_exchanges_total\\{.*routeId=\"delivery-lane-vendorB\"")
                    .containsPattern("aggregator_vendor_breaker_state\\{vendor=\"vendorB\"} [0-2]")
                    .contains("jvm_memory_used_bytes");
        });
    }

    @Test
    void theOpenApiDocumentListsEveryEndpoint() throws Exception {
        HttpResponse<String> r = get("/openapi.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode paths = json(r).get("paths");
        List<String> names = new ArrayList<>();
        paths.fieldNames().forEachRemaining(names::add);
        assertThat(names).contains("/", "/health", "/products", "/order", "/orders", "/orders/{orderId}",
                "/admin/dlq/{queue}", "/admin/dlq/{queue}/replay", "/admin/dlq/{queue}/replay/{messageId}",
                "/admin/dlq/{queue}/{messageId}", "/ops/overview", "/orders/{orderId}/cancel", "/carts/{cartId}");
        JsonNode order = paths.at("/~1order/post/responses");
        for (String code : List.of("202", "400", "404", "409", "413", "422")) {
            assertThat(order.has(code)).as("POST /order documents " + code).isTrue();
        }
        // carts and cancel (issue 26): their answers and parameters
        JsonNode cart = paths.at("/~1orders/post");
        for (String code : List.of("202", "400", "404", "409", "413", "415", "422")) {
            assertThat(cart.at("/responses").has(code)).as("POST /orders documents " + code).isTrue();
        }
        assertThat(cart.toString()).contains("Idempotency-Key");
        JsonNode cancel = paths.at("/~1orders~1{orderId}~1cancel/post");
        for (String code : List.of("200", "404", "409")) {
            assertThat(cancel.at("/responses").has(code)).as("POST /orders/{orderId}/cancel documents " + code).isTrue();
        }
        assertThat(cancel.get("parameters").toString()).contains("orderId");
        assertThat(paths.at("/~1carts~1{cartId}/get/responses").has("404")).isTrue();

        // Behind a proxy the document names the address clients use, taken from the forwarding headers.
        JsonNode proxied = json(send("GET", "/openapi.json", null,
                "X-Forwarded-Host", "shop.example.com", "X-Forwarded-Proto", "https"));
        assertThat(proxied.at("/servers/0/url").asText()).isEqualTo("https://shop.example.com");
        // Without them, a relative address: the host the document was fetched from (it said http://0.0.0.0
        // while it was rendered once at start-up).
        assertThat(json(r).at("/servers/0/url").asText()).isEmpty();
    }

    @Test
    void reconciliationResendsAStrandedPendingOrder() throws Exception {
        // An order whose message was lost after it left the outbox (a purged queue, a broker that lost
        // unreplicated data): committed, reserved, marked published, and nothing in any queue.
        String id = java.util.UUID.randomUUID().toString();
        jdbc().update("UPDATE products SET reserved = reserved + 1 WHERE vendor = 'vendorB' AND product_id = 'VB-1031'");
        jdbc().update("INSERT INTO orders (order_id, vendor, product_id, quantity, unit_price, request_fingerprint, response, created_at, updated_at) "
                + "VALUES (?::uuid, 'vendorB', 'VB-1031', 1, 1.00, 'x', '{}', now() - interval '10 minutes', now() - interval '10 minutes')", id);
        jdbc().update("INSERT INTO outbox (order_id, payload, published_at) VALUES (?::uuid, '{}', now() - interval '10 minutes')", id);

        awaitStatus(id, "SYNCED");
        assertThat(get("/metrics").body()).containsPattern("aggregator_reconcile_resent_total [1-9]");
        assertThat(jdbc().queryForObject("SELECT reserved FROM products WHERE vendor = 'vendorB' AND product_id = 'VB-1031'", Integer.class)).isZero();
    }

    @Test
    void grepOrderIdTellsTheOrdersStory() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            vendorB().setFaults(new DemoVendor.Faults(1, 503, 0, 0));
            String id = json(post("{\"id\":\"VB-1032\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
            awaitStatus(id, "SYNCED");
            List<String> story = logs.list.stream()
                    .filter(e -> id.equals(e.getMDCPropertyMap().get("orderId")) || e.getFormattedMessage().contains(id))
                    .map(ILoggingEvent::getFormattedMessage).toList();
            assertThat(story).anyMatch(l -> l.startsWith("Order accepted"));
            assertThat(story).anyMatch(l -> l.startsWith("Attempt 1 failed (vendor answered 503"));
            assertThat(story).anyMatch(l -> l.startsWith("Order SYNCED"));
            assertThat(logs.list.stream().filter(e -> e.getFormattedMessage().startsWith("Order SYNCED")
                    && id.equals(e.getMDCPropertyMap().get("orderId"))).findFirst().orElseThrow().getMDCPropertyMap())
                    .containsEntry("vendor", "vendorB");
        } finally {
            root.detachAppender(logs);
        }
    }

    private HttpResponse<String> admin(String method, String path) throws Exception {
        return send(method, path, null, "Authorization", "Bearer " + TOKEN);
    }



    private long depth(String queue) {
        return rabbit().execute(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
    }

    private DemoVendor vendorB() {
        return demoVendor("B");
    }
}
