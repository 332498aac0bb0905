package dev.aggregator.stock;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Stock sync against the real broker and database: demo vendors, a YAML vendor, stale and poison messages. */
class StockSyncIT extends AggregatorTestSupport {

    private static final int PER_VENDOR = 95; // vendorA answers 30 by default, then the other 65 to our larger page: two pages

    @Override
    protected void settings(Properties p) {
        p.setProperty("aggregator.demo.products-per-vendor", String.valueOf(PER_VENDOR));
        // A vendor file in the service's vendor folder, as a user drops it into routes/.
        try (var in = getClass().getResourceAsStream("/it-routes/yaml-vendor.yaml")) {
            java.nio.file.Files.copy(in, vendorFiles().resolve("yaml-vendor.yaml"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private boolean synced;

    /** The first poll of every vendor, once per class (the context starts before the first test). */
    @BeforeEach
    void firstSync() {
        if (synced) {
            return;
        }
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            assertThat(productCount("vendorA")).isEqualTo(PER_VENDOR);
            assertThat(productCount("vendorB")).isEqualTo(PER_VENDOR);
            assertThat(productCount("vendorYaml")).isEqualTo(PER_VENDOR);
        });
        synced = true;
    }

    @Test
    void followsEveryPageOfAPagedVendor() {
        List<String> ids = jdbc().queryForList(
                "SELECT product_id FROM products WHERE vendor = 'vendorA' ORDER BY product_id::int", String.class);
        assertThat(ids).hasSize(PER_VENDOR).first().isEqualTo("1");
        assertThat(ids).last().isEqualTo(String.valueOf(PER_VENDOR));
    }

    @Test
    void normalizesBothDemoShapesAndKeepsTheRawRecord() {
        Map<String, Object> a = jdbc().queryForMap(
                "SELECT name, price, vendor_stock, raw->>'sku' AS sku, raw->>'category' AS category FROM products WHERE vendor = 'vendorA' AND product_id = '1'");
        assertThat(a.get("name")).isEqualTo("Essence Mascara Lash Princess");
        assertThat(a.get("price").toString()).isEqualTo("9.99");
        assertThat(a.get("vendor_stock")).isEqualTo(99);
        assertThat(a.get("sku")).isEqualTo("BEA-ESS-ESS-001");
        assertThat(a.get("category")).isEqualTo("beauty");

        // vendorB speaks another dialect: sku/name/cost/inventory in a bare array.
        Map<String, Object> b = jdbc().queryForMap(
                "SELECT name, price, vendor_stock, raw->>'supplier' AS supplier, raw ? 'cost' AS has_cost FROM products WHERE vendor = 'vendorB' AND product_id = 'VB-1001'");
        assertThat(b.get("name")).isEqualTo("Cordless Drill 18V");
        assertThat(b.get("supplier")).isNotNull();
        assertThat(b.get("has_cost")).isEqualTo(true);
        assertThat(((Number) b.get("price")).doubleValue()).isPositive();
    }

    @Test
    void aYamlBlockAddsAVendor() {
        VendorRegistry registry = context.getRegistry().lookupByNameAndType("vendorRegistry", VendorRegistry.class);
        assertThat(registry.find("vendorYaml")).isPresent();
        assertThat(registry.all()).extracting(v -> v.name()).containsExactly("vendorA", "vendorB", "vendorYaml");
        assertThat(productCount("vendorYaml")).isEqualTo(PER_VENDOR);
    }

    @Test
    void anOlderFetchNeverOverwritesNewerData() throws Exception {
        Instant stored = jdbc().queryForObject(
                "SELECT fetched_at FROM products WHERE vendor='vendorA' AND product_id='2'", java.sql.Timestamp.class).toInstant();

        publish(envelope("vendorA", stored.minusSeconds(60), "{\"id\":2,\"title\":\"Stale name\",\"price\":1.00,\"stock\":1}"));
        Map<String, Object> row = jdbc().queryForMap("SELECT name, vendor_stock FROM products WHERE vendor='vendorA' AND product_id='2'");
        assertThat(row.get("name")).isEqualTo("Eyeshadow Palette with Mirror");

        // The same path with a newer fetch does update: the guard above is what kept the stale one out.
        publish(envelope("vendorA", stored.plusSeconds(60), "{\"id\":2,\"title\":\"Fresh name\",\"price\":2.50,\"stock\":7}"));
        row = jdbc().queryForMap("SELECT name, vendor_stock, price FROM products WHERE vendor='vendorA' AND product_id='2'");
        assertThat(row.get("name")).isEqualTo("Fresh name");
        assertThat(row.get("vendor_stock")).isEqualTo(7);
    }

    @Test
    void poisonMessagesGoToTheDeadLetterQueueWithTheirReason() throws Exception {
        publish("this is not json");
        publish(envelope("vendorA", Instant.now(), "{\"title\":\"No id\",\"price\":1,\"stock\":1}"));
        publish(envelope("vendorA", Instant.now(), "{\"id\":9001,\"title\":\"Bad stock\",\"price\":1,\"stock\":\"many\"}"));

        Message first = rabbit().receive(QueueTopology.FROM_EXTERNAL_DLQ, 10_000);
        Message second = rabbit().receive(QueueTopology.FROM_EXTERNAL_DLQ, 10_000);
        Message third = rabbit().receive(QueueTopology.FROM_EXTERNAL_DLQ, 10_000);
        assertThat(first).isNotNull();
        assertThat(second).isNotNull();
        assertThat(third).isNotNull();
        assertThat(List.of(reason(first), reason(second), reason(third))).containsExactlyInAnyOrder(
                "message is not JSON: " + reason(first).substring("message is not JSON: ".length()),
                "product has no id or sku",
                "stock must be a number, not 'many'");
        assertThat(new String(first.getBody())).isEqualTo("this is not json");

        // The queue keeps flowing after poison: a good message behind them is stored.
        publish(envelope("vendorA", Instant.now(), "{\"id\":9002,\"title\":\"After poison\",\"price\":3,\"stock\":3}"));
        assertThat(productCount("vendorA")).isEqualTo(PER_VENDOR + 1);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE product_id = '9001'", Integer.class)).isZero();
    }

    @Test
    void aBatchKeepsItsGoodProductsAndDeadLettersTheBadOneAlone() throws Exception {
        String batch = "{\"vendor\":\"vendorB\",\"source\":\"test\",\"fetchedAt\":\"" + Instant.now() + "\",\"products\":["
                + "{\"sku\":\"B-1\",\"name\":\"Good one\",\"cost\":1,\"inventory\":1},"
                + "{\"sku\":\"B-2\",\"name\":\"Bad one\",\"cost\":-5,\"inventory\":1},"
                + "{\"sku\":\"B-3\",\"name\":\"Good too\",\"cost\":2,\"inventory\":2}]}";
        publish(batch);
        assertThat(jdbc().queryForList("SELECT product_id FROM products WHERE product_id LIKE 'B-%' ORDER BY 1", String.class))
                .containsExactly("B-1", "B-3");
        Message dead = rabbit().receive(QueueTopology.FROM_EXTERNAL_DLQ, 10_000);
        assertThat(dead).isNotNull();
        assertThat(reason(dead)).isEqualTo("price -5 is out of range");
        JsonNode letter = JSON.readTree(dead.getBody());
        assertThat(letter.at("/product/sku").asText()).isEqualTo("B-2");
        assertThat(letter.get("vendor").asText()).isEqualTo("vendorB");
    }

    @Test
    void allFourQueuesAreDeclaredDurable() {
        for (String queue : QueueTopology.QUEUES) {
            var ok = rabbit().execute(channel -> channel.queueDeclarePassive(queue));
            assertThat(ok.getQueue()).isEqualTo(queue);
        }
    }

    @Test
    void productsApiFiltersPagesAndKeepsAStableOrder() throws Exception {
        HttpResponse<String> all = get("/products?limit=1000");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("application/json"));
        JsonNode body = json(all);
        assertThat(body.get("total").asInt()).isGreaterThanOrEqualTo(3 * PER_VENDOR);

        JsonNode page1 = json(get("/products?vendor=vendorA&limit=10&offset=0"));
        JsonNode page2 = json(get("/products?vendor=vendorA&limit=10&offset=10"));
        assertThat(page1.get("products")).hasSize(10);
        assertThat(page1.get("products").get(0).get("id").asText()).isEqualTo("1");
        assertThat(page1.get("products").get(9).get("id").asText()).isEqualTo("10");
        assertThat(page2.get("products").get(0).get("id").asText()).isEqualTo("11");
        JsonNode p = page1.get("products").get(0);
        assertThat(p.get("vendor").asText()).isEqualTo("vendorA");
        assertThat(p.get("name").asText()).isEqualTo("Essence Mascara Lash Princess");
        assertThat(p.get("price").asDouble()).isEqualTo(9.99);
        assertThat(p.get("stock").asInt()).isEqualTo(99);

        JsonNode b = json(get("/products?vendor=vendorB&limit=5"));
        assertThat(b.get("products")).allSatisfy(x -> assertThat(x.get("vendor").asText()).isEqualTo("vendorB"));
        assertThat(b.get("total").asInt()).isEqualTo(PER_VENDOR);

        for (String bad : List.of("limit=0", "limit=abc", "limit=1001", "offset=-1", "offset=1.5")) {
            HttpResponse<String> r = get("/products?" + bad);
            assertThat(r.statusCode()).as(bad).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("detail").asText()).as(bad).contains(bad.substring(0, bad.indexOf('=')));
        }
    }

    @Test
    void welcomeAndHealth() throws Exception {
        HttpResponse<String> welcome = get("/");
        assertThat(welcome.statusCode()).isEqualTo(200);
        assertThat(json(welcome).get("message").asText()).contains("Welcome");

        HttpResponse<String> health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        JsonNode h = json(health);
        assertThat(h.get("status").asText()).isEqualTo("UP");
        assertThat(h.at("/database/status").asText()).isEqualTo("UP");
        assertThat(h.at("/broker/status").asText()).isEqualTo("UP");
        assertThat(h.get("uptimeSeconds").asLong()).isGreaterThanOrEqualTo(0);
    }

    /** Publishes as the poller would and waits until the consumer has finished with the message. */
    private void publish(String body) {
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("stock-upsert").whenDone(1).create();
        MessageProperties props = new MessageProperties();
        props.setContentType("application/json");
        rabbit().send("", QueueTopology.FROM_EXTERNAL, new Message(body.getBytes(), props));
        assertThat(done.matches(15, TimeUnit.SECONDS)).as("consumer handled the message").isTrue();
    }

    private static String envelope(String vendor, Instant fetchedAt, String product) {
        return "{\"vendor\":\"" + vendor + "\",\"source\":\"test\",\"fetchedAt\":\"" + fetchedAt + "\",\"product\":" + product + "}";
    }

    private static String reason(Message m) {
        Object r = m.getMessageProperties().getHeaders().get("x-failure-reason");
        return r == null ? null : r.toString();
    }
}
