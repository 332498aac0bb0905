package dev.aggregator.order;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import dev.aggregator.demo.DemoVendor;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Orders against the real database, broker and demo vendors: reservation, idempotency, delivery, retries, dead letters. */
class OrderIT extends AggregatorTestSupport {

    private static final String JSON_TYPE = "application/json";

    @Override
    protected void settings(Properties p) {
        // These tests fail single orders on purpose; the breaker (which would make them wait) is LanesIT's.
        p.setProperty("aggregator.delivery.breaker.window", "1000");
        p.setProperty("aggregator.delivery.breaker.minimum-calls", "1000");
        p.setProperty("ADMIN_TOKEN", "test-token");
        p.setProperty("VENDOR_RATE_LIMIT", "200");
        p.setProperty("aggregator.delivery.backoff-ms", "100");
        p.setProperty("aggregator.outbox.relay-period-ms", "200");
        p.setProperty("aggregator.outbox.grace-seconds", "0.5");
    }

    @BeforeEach
    void firstSync() {
        awaitDemoCatalogues();
    }

    @AfterEach
    void calmVendors() {
        vendor("A").setFaults(DemoVendor.Faults.NONE);
        vendor("B").setFaults(DemoVendor.Faults.NONE);
    }

    @Test
    void theSeedsCurlExampleIsAcceptedAndReachesTheVendor() throws Exception {
        int vendorStockBefore = vendor("A").stockOf("1");
        HttpResponse<String> r = post("{\"id\": 1, \"vendor\": \"vendorA\", \"name\": \"Essence Mascara Lash Princess\", \"price\": 9.99, \"quantity\": 1}");
        assertThat(r.statusCode()).isEqualTo(202);
        JsonNode body = json(r);
        String orderId = body.get("orderId").asText();
        assertThat(body.get("status").asText()).isEqualTo("PENDING");
        assertThat(r.headers().firstValue("Location")).hasValue("/orders/" + orderId);

        JsonNode order = awaitStatus(orderId, "SYNCED");
        assertThat(order.get("attempts").asInt()).isEqualTo(1);
        assertThat(order.get("vendor").asText()).isEqualTo("vendorA");
        assertThat(order.get("id").asText()).isEqualTo("1");
        assertThat(order.get("syncedAt").isNull()).isFalse();
        assertThat(vendor("A").stockOf("1")).isEqualTo(vendorStockBefore - 1);
        Map<String, Object> row = stock("vendorA", "1");
        assertThat(row.get("reserved")).isEqualTo(0);
        assertThat(row.get("vendor_stock")).isEqualTo(vendorStockBefore - 1);
    }

    @Test
    void fiftyConcurrentOrdersForTenUnitsAcceptExactlyTen() throws Exception {
        setStock("A", "3", 10);
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        HttpRequest request = HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/order")).header("Content-Type", JSON_TYPE)
                .POST(HttpRequest.BodyPublishers.ofString("{\"id\":3,\"vendor\":\"vendorA\",\"quantity\":1}")).build();
        for (int i = 0; i < 60; i++) {
            calls.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = new ArrayList<>();
        for (var call : calls) {
            statuses.add(call.get(60, TimeUnit.SECONDS).statusCode());
        }
        assertThat(statuses).filteredOn(s -> s == 202).hasSize(10);
        assertThat(statuses).filteredOn(s -> s == 409).hasSize(50);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE vendor='vendorA' AND product_id='3'", Integer.class)).isEqualTo(10);
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc().queryForObject(
                "SELECT count(*) FROM orders WHERE vendor='vendorA' AND product_id='3' AND status='SYNCED'", Integer.class) == 10);
        assertThat(vendor("A").stockOf("3")).isZero();
        Map<String, Object> row = stock("vendorA", "3");
        assertThat(row.get("vendor_stock")).isEqualTo(0);
        assertThat(row.get("reserved")).isEqualTo(0);
        assertThat(json(get("/products?vendor=vendorA&limit=3")).at("/products/2/stock").asInt()).isZero();
    }

    @Test
    void anIdempotencyKeyRetryReturnsTheFirstAnswerAndCreatesNothing() throws Exception {
        String body = "{\"id\":4,\"vendor\":\"vendorA\",\"quantity\":2}";
        int reservedBefore = (Integer) stock("vendorA", "4").get("vendor_stock");
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(java.net.URI.create(baseUrl() + "/order"))
                    .header("Content-Type", JSON_TYPE).header("Idempotency-Key", "retry-key-1")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<String> ids = new ArrayList<>();
        for (var call : calls) {
            HttpResponse<String> r = call.get(30, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(202);
            ids.add(json(r).get("orderId").asText());
        }
        assertThat(ids).containsOnly(ids.get(0));
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE idempotency_key = 'retry-key-1'", Integer.class)).isEqualTo(1);
        awaitStatus(ids.get(0), "SYNCED");
        HttpResponse<String> again = send("POST", "/order", body, "Content-Type", JSON_TYPE, "Idempotency-Key", "retry-key-1");
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(json(again).get("orderId").asText()).isEqualTo(ids.get(0));
        assertThat(stock("vendorA", "4").get("vendor_stock")).isEqualTo(reservedBefore - 2);

        HttpResponse<String> other = send("POST", "/order", "{\"id\":4,\"vendor\":\"vendorA\",\"quantity\":3}",
                "Content-Type", JSON_TYPE, "Idempotency-Key", "retry-key-1");
        assertThat(other.statusCode()).isEqualTo(422);
        assertThat(json(other).get("detail").asText()).contains("retry-key-1");
    }

    @Test
    void transientFailuresAreRetriedUntilTheVendorAccepts() throws Exception {
        vendor("B").setFaults(new DemoVendor.Faults(2, 503, 0, 0));
        long requestsBefore = vendor("B").orderRequests();
        String orderId = json(post("{\"id\":\"VB-1005\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        JsonNode order = awaitStatus(orderId, "SYNCED");
        assertThat(order.get("attempts").asInt()).isEqualTo(3);
        assertThat(vendor("B").orderRequests() - requestsBefore).isEqualTo(3);
    }

    @Test
    void exhaustedRetriesDeadLetterTheOrderAndGiveTheStockBack() throws Exception {
        vendor("B").setFaults(new DemoVendor.Faults(100, 503, 0, 0));
        int availableBefore = available("vendorB", "VB-1006");
        String orderId = json(post("{\"id\":\"VB-1006\",\"vendor\":\"vendorB\",\"quantity\":2}")).get("orderId").asText();
        assertThat(available("vendorB", "VB-1006")).isEqualTo(availableBefore - 2);

        JsonNode order = awaitStatus(orderId, "FAILED");
        assertThat(order.get("attempts").asInt()).isEqualTo(4);
        assertThat(order.get("lastError").asText()).contains("503");
        assertThat(available("vendorB", "VB-1006")).isEqualTo(availableBefore);
        Message dead = deadLetterFor(orderId);
        assertThat(dead.getMessageProperties().getHeaders()).containsEntry("x-attempts", 4);
        assertThat((String) dead.getMessageProperties().getHeader("x-failure-reason")).contains("vendor answered 503");
        assertThat(new String(dead.getBody())).contains(orderId);
    }

    @Test
    void aPermanentRefusalIsDeadLetteredAtOnce() throws Exception {
        vendor("B").setFaults(new DemoVendor.Faults(1, 400, 0, 0));
        String orderId = json(post("{\"id\":\"VB-1007\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        JsonNode order = awaitStatus(orderId, "FAILED");
        assertThat(order.get("attempts").asInt()).isEqualTo(1);
        assertThat(order.get("lastError").asText()).contains("400");
        assertThat(deadLetterFor(orderId).getMessageProperties().getHeaders()).containsEntry("x-attempts", 1);

        // A product we list but the vendor no longer knows: its 404 is permanent too.
        jdbc().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at) "
                + "VALUES ('vendorA', '777777', 'Gone', 1, 5, '{}', now())");
        String gone = json(post("{\"id\":777777,\"vendor\":\"vendorA\",\"quantity\":1}")).get("orderId").asText();
        JsonNode goneOrder = awaitStatus(gone, "FAILED");
        assertThat(goneOrder.get("attempts").asInt()).isEqualTo(1);
        assertThat(goneOrder.get("lastError").asText()).contains("404");
        assertThat(stock("vendorA", "777777").get("reserved")).isEqualTo(0);
    }

    @Test
    void twoOrdersForTheSameProductBothGo() throws Exception {
        long before = vendor("B").confirmedOrders();
        String body = "{\"id\":\"VB-1008\",\"vendor\":\"vendorB\",\"quantity\":1}";
        String first = json(post(body)).get("orderId").asText();
        String second = json(post(body)).get("orderId").asText();
        assertThat(first).isNotEqualTo(second);
        awaitStatus(first, "SYNCED");
        awaitStatus(second, "SYNCED");
        assertThat(vendor("B").confirmedOrders() - before).isEqualTo(2);
    }

    @Test
    void aRedeliveredMessageSendsNoSecondPut() throws Exception {
        String orderId = json(post("{\"id\":\"VB-1009\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        JsonNode synced = awaitStatus(orderId, "SYNCED");
        long requests = vendor("B").orderRequests();

        NotifyBuilder done = new NotifyBuilder(context).fromRoute("delivery-lane-vendorB").whenDone(2).create();
        // Once the broker confirmed the message, the outbox row is gone: the outbox holds only unsent orders.
        assertThat(jdbc().queryForObject("SELECT count(*) FROM outbox WHERE order_id = ?::uuid", Integer.class, orderId)).isZero();
        String payload = OutboxPublisher.payload(java.util.UUID.fromString(orderId), "vendorB", "VB-1009", 1);
        for (int i = 0; i < 2; i++) {
            MessageProperties props = new MessageProperties();
            props.setContentType(JSON_TYPE);
            rabbit().send("", QueueTopology.TO_EXTERNAL, new Message(payload.getBytes(), props));
        }
        assertThat(done.matches(20, TimeUnit.SECONDS)).isTrue();
        assertThat(vendor("B").orderRequests()).isEqualTo(requests);
        JsonNode after = json(get("/orders/" + orderId));
        assertThat(after.get("status").asText()).isEqualTo("SYNCED");
        assertThat(after.get("attempts").asInt()).isEqualTo(synced.get("attempts").asInt());
    }

    @Test
    void ordersTakenWhileTheBrokerIsUnreachableAreDeliveredWhenItIsBack() throws Exception {
        // "Broker down" for this service only: revoke its vhost access and close its connections, so
        // reconnects are refused like a stopped broker's, without disturbing anything else on the machine.
        TestServices.rabbitmqctl("clear_permissions", "-p", vhost, "guest");
        List<String> orders = new ArrayList<>();
        try {
            TestServices.rabbitmqctl("close_all_connections", "-p", vhost, "test: broker outage");
            await().atMost(Duration.ofSeconds(20)).until(() -> get("/health").statusCode() == 503);
            assertThat(json(get("/health")).at("/broker/status").asText()).isEqualTo("DOWN");
            for (int i = 0; i < 3; i++) {
                HttpResponse<String> r = post("{\"id\":\"VB-1010\",\"vendor\":\"vendorB\",\"quantity\":1}");
                assertThat(r.statusCode()).isEqualTo(202);
                orders.add(json(r).get("orderId").asText());
            }
            assertThat(jdbc().queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL AND order_id IN (?::uuid, ?::uuid, ?::uuid)",
                    Integer.class, orders.toArray())).isEqualTo(3);
            for (String id : orders) {
                assertThat(json(get("/orders/" + id)).get("status").asText()).isEqualTo("PENDING");
            }
        } finally {
            TestServices.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        }
        for (String id : orders) {
            awaitStatus(id, "SYNCED", Duration.ofSeconds(60));
        }
        assertThat(jdbc().queryForObject("SELECT count(*) FROM outbox WHERE published_at IS NULL", Integer.class)).isZero();
    }

    static Stream<Arguments> badRequests() {
        String big = "{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":1,\"name\":\"" + "x".repeat(20_000) + "\"}";
        return Stream.of(
                Arguments.of("{", JSON_TYPE, 400, "not valid JSON"),
                Arguments.of("", JSON_TYPE, 400, "body is required"),
                Arguments.of("[1,2]", JSON_TYPE, 400, "JSON object"),
                Arguments.of("\"order\"", JSON_TYPE, 400, "JSON object"),
                Arguments.of("{}", JSON_TYPE, 400, "vendor is required"),
                Arguments.of("{\"vendor\":\"vendorA\",\"quantity\":1}", JSON_TYPE, 400, "id"),
                Arguments.of("{\"id\":true,\"vendor\":\"vendorA\",\"quantity\":1}", JSON_TYPE, 400, "id must be"),
                Arguments.of("{\"id\":1.5,\"vendor\":\"vendorA\",\"quantity\":1}", JSON_TYPE, 400, "id must be"),
                Arguments.of("{\"id\":1,\"vendor\":5,\"quantity\":1}", JSON_TYPE, 400, "vendor must be"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\"}", JSON_TYPE, 400, "quantity is required"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":0}", JSON_TYPE, 400, "quantity must be between"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":-1}", JSON_TYPE, 400, "quantity must be between"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":1.5}", JSON_TYPE, 400, "quantity must be a whole number"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":\"2\"}", JSON_TYPE, 400, "quantity must be a whole number"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":10001}", JSON_TYPE, 400, "quantity must be between"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":100000000000000000000}", JSON_TYPE, 400, "quantity must be between"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":1,\"price\":\"cheap\"}", JSON_TYPE, 400, "price"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":1,\"price\":-1}", JSON_TYPE, 400, "price"),
                Arguments.of("{\"id\":1,\"vendor\":\"nobody\",\"quantity\":1}", JSON_TYPE, 404, "unknown vendor 'nobody'"),
                Arguments.of("{\"id\":999999,\"vendor\":\"vendorA\",\"quantity\":1}", JSON_TYPE, 404, "unknown product '999999'"),
                Arguments.of("{\"id\":\"VB-1018\",\"vendor\":\"vendorB\",\"quantity\":1}", JSON_TYPE, 409, "not enough stock"),
                Arguments.of("{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":9999}", JSON_TYPE, 409, "not enough stock"),
                Arguments.of(big, JSON_TYPE, 413, "at most"),
                Arguments.of("id=1&vendor=vendorA", "text/plain", 415, "Content-Type"));
    }

    @ParameterizedTest
    @MethodSource("badRequests")
    void badInputIsAClearProblemNeverA500(String body, String contentType, int status, String detail) throws Exception {
        int ordersBefore = jdbc().queryForObject("SELECT count(*) FROM orders", Integer.class);
        HttpResponse<String> r = send("POST", "/order", body, "Content-Type", contentType);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json(r).get("status").asInt()).isEqualTo(status);
        assertThat(json(r).get("detail").asText()).contains(detail);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(ordersBefore);
    }

    @Test
    void anOverlongIdempotencyKeyIsRefused() throws Exception {
        HttpResponse<String> r = send("POST", "/order", "{\"id\":1,\"vendor\":\"vendorA\",\"quantity\":1}",
                "Content-Type", JSON_TYPE, "Idempotency-Key", "k".repeat(300));
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json(r).get("detail").asText()).contains("Idempotency-Key");
    }

    @Test
    void orderLookups() throws Exception {
        HttpResponse<String> unknown = get("/orders/00000000-0000-0000-0000-000000000000");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(get("/orders/not-a-uuid").statusCode()).isEqualTo(404);
        assertThat(get("/orders?status=LOST").statusCode()).isEqualTo(400);

        String orderId = json(post("{\"id\":\"VB-1011\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(orderId, "SYNCED");
        JsonNode list = json(get("/orders?status=SYNCED&limit=1000"));
        assertThat(list.get("orders").findValuesAsText("orderId")).contains(orderId);
        assertThat(list.get("orders").findValuesAsText("status")).containsOnly("SYNCED");
    }

    @Test
    void demoVendorFaultsNeedTheAdminToken() throws Exception {
        String faults = "{\"failNext\":1,\"failStatus\":502}";
        assertThat(send("PUT", "/admin/demo/vendorB/faults", faults, "Content-Type", JSON_TYPE).statusCode()).isEqualTo(401);
        assertThat(send("PUT", "/admin/demo/vendorB/faults", faults, "Content-Type", JSON_TYPE, "Authorization", "Bearer nope").statusCode()).isEqualTo(403);
        HttpResponse<String> ok = send("PUT", "/admin/demo/vendorB/faults", faults, "Content-Type", JSON_TYPE, "Authorization", "Bearer test-token");
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(vendor("B").faults()).isEqualTo(new DemoVendor.Faults(1, 502, 0, 0));
        assertThat(send("PUT", "/admin/demo/vendorB/faults", "{\"failureRate\":7}", "Content-Type", JSON_TYPE,
                "Authorization", "Bearer test-token").statusCode()).isEqualTo(400);
    }

    @Test
    void injectedLatencySlowsTheVendorButItStillConfirms() throws Exception {
        int before = vendor("B").stockOf("VB-1012");
        vendor("B").setFaults(new DemoVendor.Faults(0, 503, 0, 300));
        long start = System.nanoTime();
        HttpResponse<String> put = send("PUT", "/vendorB/products/VB-1012", "{\"orderId\":\"latency-1\",\"quantity\":1}",
                "Content-Type", JSON_TYPE, "Idempotency-Key", "latency-1");
        long tookMs = (System.nanoTime() - start) / 1_000_000;
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(tookMs).isGreaterThanOrEqualTo(300);
        assertThat(vendor("B").stockOf("VB-1012")).isEqualTo(before - 1);

        vendor("B").setFaults(DemoVendor.Faults.NONE);
        HttpResponse<String> fast = send("PUT", "/vendorB/products/VB-1012", "{\"orderId\":\"latency-2\",\"quantity\":1}",
                "Content-Type", JSON_TYPE, "Idempotency-Key", "latency-2");
        assertThat(fast.statusCode()).isEqualTo(200);
        assertThat(vendor("B").stockOf("VB-1012")).isEqualTo(before - 2);
    }




    private DemoVendor vendor(String letter) {
        return demoVendor(letter);
    }

    private Map<String, Object> stock(String vendor, String productId) {
        return jdbc().queryForMap("SELECT vendor_stock, reserved FROM products WHERE vendor = ? AND product_id = ?", vendor, productId);
    }

    private int available(String vendor, String productId) {
        Map<String, Object> s = stock(vendor, productId);
        return (Integer) s.get("vendor_stock") - (Integer) s.get("reserved");
    }

    private void setStock(String letter, String productId, int units) {
        vendor(letter).setStock(productId, units);
        jdbc().update("UPDATE products SET vendor_stock = ?, reserved = 0 WHERE vendor = ? AND product_id = ?", units, "vendor" + letter, productId);
    }

    private Message deadLetterFor(String orderId) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> {
            Message m;
            while ((m = rabbit().receive(QueueTopology.TO_EXTERNAL_DLQ, 500)) != null) {
                if (orderId.equals(m.getMessageProperties().getHeader("x-order-id"))) {
                    return m;
                }
            }
            return null;
        }, java.util.Objects::nonNull);
    }
}
