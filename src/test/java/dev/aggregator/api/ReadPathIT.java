package dev.aggregator.api;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The read path against the real database (issue 17): the answers' JSON shape, ETags and 304s, ETags that
 * change with what they list (an order, a sync, another query), and cursor paging against offset paging.
 */
class ReadPathIT extends AggregatorTestSupport {

    private static final String ISO_INSTANT = "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d{3}|\\.\\d{6})?Z";
    private static final List<String> PRODUCT_FIELDS =
            List.of("vendor", "id", "name", "price", "stock", "vendorStock", "reserved", "fetchedAt", "updatedAt");
    private static final List<String> ORDER_FIELDS = List.of("orderId", "status", "vendor", "id", "quantity", "unitPrice",
            "attempts", "lastError", "createdAt", "updatedAt", "syncedAt", "failedAt", "cancelledAt", "vendorRef");

    @BeforeEach
    void catalogues() {
        awaitDemoCatalogues();
    }

    @Test
    void productsKeepTheirShapeTypesAndTimeFormat() throws Exception {
        HttpResponse<String> r = get("/products?limit=1000");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode body = json(r);
        assertThat(fields(body)).containsExactly("products", "total", "limit", "offset");
        assertThat(body.get("total").isIntegralNumber()).isTrue();
        assertThat(body.get("total").asInt()).isEqualTo(115);
        assertThat(body.get("limit").asInt()).isEqualTo(1000);
        assertThat(body.get("offset").asInt()).isZero();
        assertThat(body.get("products")).hasSize(115);
        for (JsonNode p : body.get("products")) {
            assertThat(fields(p)).as(p.toString()).containsExactlyElementsOf(PRODUCT_FIELDS);
            assertThat(p.get("vendor").isTextual() && p.get("id").isTextual() && p.get("name").isTextual()).isTrue();
            assertThat(p.get("price").isNumber()).isTrue();
            assertThat(p.get("stock").isInt() && p.get("vendorStock").isInt() && p.get("reserved").isInt()).isTrue();
            assertThat(p.get("fetchedAt").asText()).matches(ISO_INSTANT);
            assertThat(p.get("updatedAt").asText()).matches(ISO_INSTANT);
        }
        // the same instant, written as java.time writes it (what the answers always carried)
        JsonNode first = body.get("products").get(0);
        Instant fetched = jdbc().queryForObject("SELECT fetched_at FROM products WHERE vendor = ? AND product_id = ?",
                java.sql.Timestamp.class, first.get("vendor").asText(), first.get("id").asText()).toInstant();
        assertThat(first.get("fetchedAt").asText()).isEqualTo(fetched.toString());
        assertThat(first.get("price").decimalValue()).isEqualByComparingTo(jdbc().queryForObject(
                "SELECT price FROM products WHERE vendor = ? AND product_id = ?", java.math.BigDecimal.class,
                first.get("vendor").asText(), first.get("id").asText()));

        JsonNode page = json(get("/products?limit=10"));
        assertThat(fields(page)).containsExactly("products", "total", "limit", "offset", "nextCursor");
    }

    @Test
    void productsAnswerWithAnETagAndA304WithoutBodyWhenUnchanged() throws Exception {
        HttpResponse<String> r = get("/products?vendor=vendorB&limit=20");
        String etag = r.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");

        HttpResponse<String> again = send("GET", "/products?vendor=vendorB&limit=20", null, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(again.headers().firstValue("ETag")).hasValue(etag);
        // a weak form and a list naming it match too; another tag does not
        assertThat(send("GET", "/products?vendor=vendorB&limit=20", null, "If-None-Match", "\"other\", W/" + etag).statusCode())
                .isEqualTo(304);
        HttpResponse<String> other = send("GET", "/products?vendor=vendorB&limit=20", null, "If-None-Match", "\"other\"");
        assertThat(other.statusCode()).isEqualTo(200);
        assertThat(other.body()).isEqualTo(r.body());

        // another query is another answer
        assertThat(get("/products?vendor=vendorB&limit=21").headers().firstValue("ETag")).isNotEqualTo(r.headers().firstValue("ETag"));
        assertThat(get("/products?vendor=vendorA&limit=20").headers().firstValue("ETag")).isNotEqualTo(r.headers().firstValue("ETag"));
        assertThat(get("/products?vendor=vendorB&limit=20&offset=1").headers().firstValue("ETag")).isNotEqualTo(r.headers().firstValue("ETag"));
    }

    @Test
    void theETagChangesWithTheStockAfterAnOrder() throws Exception {
        String path = "/products?vendor=vendorA&limit=5";
        HttpResponse<String> before = get(path);
        String etag = before.headers().firstValue("ETag").orElseThrow();
        int stock = json(before).at("/products/3/stock").asInt();
        assertThat(send("GET", path, null, "If-None-Match", etag).statusCode()).isEqualTo(304);

        assertThat(post("{\"id\":4,\"vendor\":\"vendorA\",\"quantity\":2}").statusCode()).isEqualTo(202);

        // at once, not after a cache's age: the order's commit changed the database's snapshot
        HttpResponse<String> after = send("GET", path, null, "If-None-Match", etag);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(json(after).at("/products/3/stock").asInt()).isEqualTo(stock - 2);
        assertThat(after.headers().firstValue("ETag")).isPresent().isNotEqualTo(before.headers().firstValue("ETag"));
    }

    @Test
    void theETagChangesWhenASyncChangesAPrice() throws Exception {
        String path = "/products?vendor=vendorB&limit=3";
        HttpResponse<String> before = get(path);
        String etag = before.headers().firstValue("ETag").orElseThrow();
        JsonNode product = json(before).at("/products/1");
        String id = product.get("id").asText();
        String price = product.get("price").decimalValue().add(java.math.BigDecimal.ONE).toPlainString();

        // what a poll of vendor B would queue: the same product at a new price
        NotifyBuilder done = new NotifyBuilder(context).fromRoute("stock-upsert").whenDone(1).create();
        MessageProperties props = new MessageProperties();
        props.setContentType("application/json");
        String batch = "{\"vendor\":\"vendorB\",\"source\":\"test\",\"fetchedAt\":\"" + Instant.now() + "\",\"products\":["
                + "{\"sku\":\"" + id + "\",\"name\":\"" + product.get("name").asText() + "\",\"cost\":" + price
                + ",\"inventory\":" + product.get("vendorStock").asInt() + "}]}";
        rabbit().send("", QueueTopology.FROM_EXTERNAL, new Message(batch.getBytes(StandardCharsets.UTF_8), props));
        assertThat(done.matches(15, TimeUnit.SECONDS)).as("the sync stored the message").isTrue();

        HttpResponse<String> after = send("GET", path, null, "If-None-Match", etag);
        assertThat(after.statusCode()).isEqualTo(200);
        assertThat(json(after).at("/products/1/price").decimalValue()).isEqualByComparingTo(price);
        assertThat(after.headers().firstValue("ETag")).isPresent().isNotEqualTo(before.headers().firstValue("ETag"));
    }

    @Test
    void aCursorWalksEveryProductOnceInOrderAsOffsetPagingDoes() throws Exception {
        for (String vendor : new String[] {null, "vendorB"}) {
            String filter = vendor == null ? "" : "&vendor=" + vendor;
            List<String> all = keys(json(get("/products?limit=1000" + filter)).get("products"));
            assertThat(all).hasSize(vendor == null ? 115 : 55).doesNotHaveDuplicates();

            List<String> byCursor = new ArrayList<>();
            List<String> byOffset = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = json(get("/products?limit=7" + filter + (cursor == null ? "" : "&cursor=" + cursor)));
                byCursor.addAll(keys(page.get("products")));
                JsonNode same = json(get("/products?limit=7" + filter + "&offset=" + 7 * pages));
                byOffset.addAll(keys(same.get("products")));
                assertThat(page.get("total").asInt()).isEqualTo(all.size());
                cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
                assertThat(same.has("nextCursor")).isEqualTo(cursor != null);
                pages++;
            } while (cursor != null && pages < 100);
            assertThat(pages).isEqualTo((all.size() + 6) / 7);
            assertThat(byCursor).containsExactlyElementsOf(all);
            assertThat(byOffset).containsExactlyElementsOf(all);
        }
        // a page that ends exactly at the last product says no more follow
        assertThat(json(get("/products?vendor=vendorB&limit=55")).has("nextCursor")).isFalse();
        assertThat(json(get("/products?vendor=vendorB&limit=54")).has("nextCursor")).isTrue();
    }

    @Test
    void theTotalFollowsProductsAddedAndRemovedWithoutCountingThem() throws Exception {
        assertThat(json(get("/products?vendor=counted")).get("total").asInt()).isZero();
        jdbc().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at) "
                + "SELECT 'counted', g::text, 'n', 1, 1, '{}', now() FROM generate_series(1, 3) g");
        JsonNode three = json(get("/products?vendor=counted"));
        assertThat(three.get("total").asInt()).isEqualTo(3);
        assertThat(json(get("/products?limit=1")).get("total").asInt()).isEqualTo(118);
        assertThat(json(get("/products?vendor=counted&offset=10")).get("total").asInt()).isEqualTo(3); // past the end
        jdbc().update("DELETE FROM products WHERE vendor = 'counted' AND product_id <> '2'");
        assertThat(json(get("/products?vendor=counted")).get("total").asInt()).isEqualTo(1);
        jdbc().update("DELETE FROM products WHERE vendor = 'counted'");
        assertThat(json(get("/products?limit=1")).get("total").asInt()).isEqualTo(115);
        assertThat(jdbc().queryForObject("SELECT sum(products) FROM product_counts", Long.class))
                .isEqualTo(jdbc().queryForObject("SELECT count(*) FROM products", Long.class));
    }

    @Test
    void aBadCursorIsA400NamingIt() throws Exception {
        List<String> bad = new ArrayList<>(List.of("!!!", "abc", "dmVuZG9yQQ", url("a\0b\0c"), url("\0x"), url("x\0"), "A".repeat(3000)));
        for (String cursor : bad) {
            HttpResponse<String> r = get("/products?cursor=" + cursor);
            assertThat(r.statusCode()).as(cursor).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("detail").asText()).as(cursor).contains("cursor");
        }
        String ofA = json(get("/products?vendor=vendorA&limit=2")).get("nextCursor").asText();
        HttpResponse<String> mismatch = get("/products?vendor=vendorB&cursor=" + ofA);
        assertThat(mismatch.statusCode()).isEqualTo(400);
        assertThat(json(mismatch).get("detail").asText()).contains("cursor").contains("vendorA");
    }

    @Test
    void ordersKeepTheirShapeAndAnswerWithETags() throws Exception {
        String orderId = json(post("{\"id\":\"VB-1002\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(orderId, "SYNCED");

        HttpResponse<String> one = get("/orders/" + orderId);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
        JsonNode o = json(one);
        assertThat(fields(o)).containsExactlyElementsOf(ORDER_FIELDS);
        assertThat(o.get("quantity").isInt() && o.get("attempts").isInt() && o.get("unitPrice").isNumber()).isTrue();
        assertThat(o.get("lastError").isNull() && o.get("failedAt").isNull()).isTrue();
        assertThat(o.get("createdAt").asText()).matches(ISO_INSTANT);
        assertThat(o.get("syncedAt").asText()).matches(ISO_INSTANT);
        Instant created = jdbc().queryForObject("SELECT created_at FROM orders WHERE order_id = ?::uuid",
                java.sql.Timestamp.class, orderId).toInstant();
        assertThat(o.get("createdAt").asText()).isEqualTo(created.toString());

        String etag = one.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> unchanged = send("GET", "/orders/" + orderId, null, "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        jdbc().update("UPDATE orders SET last_error = 'noted by the test' WHERE order_id = ?::uuid", orderId);
        HttpResponse<String> changed = send("GET", "/orders/" + orderId, null, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json(changed).get("lastError").asText()).isEqualTo("noted by the test");
        assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(one.headers().firstValue("ETag"));

        HttpResponse<String> list = get("/orders?limit=10");
        JsonNode l = json(list);
        assertThat(fields(l)).containsExactly("orders", "total");
        assertThat(l.get("orders")).isNotEmpty().allSatisfy(x -> assertThat(fields(x)).containsExactlyElementsOf(ORDER_FIELDS));
        String listTag = list.headers().firstValue("ETag").orElseThrow();
        assertThat(send("GET", "/orders?limit=10", null, "If-None-Match", listTag).statusCode()).isEqualTo(304);
        String next = json(post("{\"id\":\"VB-1003\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        HttpResponse<String> grown = send("GET", "/orders?limit=10", null, "If-None-Match", listTag);
        assertThat(grown.statusCode()).isEqualTo(200);
        assertThat(json(grown).at("/orders/0/orderId").asText()).isEqualTo(next);
    }

    private static String url(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            names.add(it.next());
        }
        return names;
    }

    private static List<String> keys(JsonNode products) {
        List<String> keys = new ArrayList<>();
        products.forEach(p -> keys.add(p.get("vendor").asText() + "/" + p.get("id").asText()));
        return keys;
    }
}
