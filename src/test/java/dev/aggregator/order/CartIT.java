package dev.aggregator.order;

import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** POST /orders (carts) and GET /carts/{id} against the real database, broker and demo vendors. */
class CartIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("VENDOR_RATE_LIMIT", "500");
        // the demo vendors accept every order (their own stock as shipped is small): no line FAILED gives units back
        p.setProperty("aggregator.demo.stock", "100000");
    }

    @BeforeEach
    void firstSync() {
        awaitDemoCatalogues();
    }

    private HttpResponse<String> cart(String body, String... headers) throws Exception {
        List<String> h = new ArrayList<>(List.of("Content-Type", "application/json"));
        h.addAll(List.of(headers));
        return send("POST", "/orders", body, h.toArray(new String[0]));
    }

    private static String line(String vendor, String id, int quantity) {
        return "{\"vendor\":\"" + vendor + "\",\"id\":\"" + id + "\",\"quantity\":" + quantity + "}";
    }

    private static String lines(String... lines) {
        return "{\"lines\":[" + String.join(",", lines) + "]}";
    }

    private void stock(String vendor, String id, int units) {
        jdbc().update("UPDATE products SET vendor_stock = ?, reserved = 0 WHERE vendor = ? AND product_id = ?", units, vendor, id);
    }

    private int available(String vendor, String id) {
        return jdbc().queryForObject("SELECT vendor_stock - reserved FROM products WHERE vendor = ? AND product_id = ?", Integer.class, vendor, id);
    }

    /** Units of a product held by orders that are PENDING or SYNCED (reserved, or gone to the vendor). */
    private int held(String vendor, String id) {
        return jdbc().queryForObject("SELECT COALESCE(sum(quantity), 0) FROM orders WHERE vendor = ? AND product_id = ? AND status IN ('PENDING', 'SYNCED')",
                Integer.class, vendor, id);
    }

    @Test
    void aMixedVendorCartIsOneCartOfOrdersEachDeliveredByItsLane() throws Exception {
        HttpResponse<String> r = cart(lines(line("vendorA", "11", 2), line("vendorB", "VB-1011", 1), line("vendorA", "12", 1)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode cart = json(r);
        String cartId = cart.get("cartId").asText();
        assertThat(r.headers().firstValue("Location")).contains("/carts/" + cartId);
        assertThat(cart.get("status").asText()).isEqualTo("PENDING");
        assertThat(cart.get("lines")).hasSize(3);
        assertThat(cart.get("lines").get(1).get("vendor").asText()).isEqualTo("vendorB");
        assertThat(cart.get("lines").get(0).get("quantity").asInt()).isEqualTo(2);
        for (JsonNode line : cart.get("lines")) {
            awaitStatus(line.get("orderId").asText(), "SYNCED");
        }
        JsonNode shown = json(get("/carts/" + cartId));
        assertThat(shown.get("status").asText()).isEqualTo("SYNCED");
        assertThat(shown.get("lines")).extracting(l -> l.get("orderId").asText())
                .containsExactly(cart.get("lines").get(0).get("orderId").asText(), cart.get("lines").get(1).get("orderId").asText(),
                        cart.get("lines").get(2).get("orderId").asText());
        assertThat(get("/carts/" + java.util.UUID.randomUUID()).statusCode()).isEqualTo(404);
        assertThat(get("/carts/not-a-uuid").statusCode()).isEqualTo(404);
    }

    @Test
    void aShortLineReservesNothingAndEveryShortLineIsNamed() throws Exception {
        stock("vendorA", "21", 5);
        stock("vendorA", "22", 1);
        stock("vendorB", "VB-1021", 1);
        long ordersBefore = jdbc().queryForObject("SELECT count(*) FROM orders", Long.class);
        HttpResponse<String> r = cart(lines(line("vendorA", "21", 3), line("vendorA", "22", 2), line("vendorB", "VB-1021", 5)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(409);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).contains("problem+json"));
        String detail = json(r).get("detail").asText();
        assertThat(detail).contains("lines[1] (product '22' of vendor 'vendorA'): 2 ordered, 1 available")
                .contains("lines[2] (product 'VB-1021' of vendor 'vendorB'): 5 ordered, 1 available").doesNotContain("lines[0]");
        assertThat(available("vendorA", "21")).isEqualTo(5);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders", Long.class)).isEqualTo(ordersBefore);

        HttpResponse<String> unknown = cart(lines(line("vendorA", "21", 1), line("vendorA", "no-such", 1)));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(json(unknown).get("detail").asText()).contains("lines[1]").contains("no-such");
        HttpResponse<String> noVendor = cart(lines(line("nobody", "1", 1)));
        assertThat(noVendor.statusCode()).isEqualTo(404);
        assertThat(json(noVendor).get("detail").asText()).contains("lines[0]: unknown vendor 'nobody'");
        assertThat(available("vendorA", "21")).isEqualTo(5);
    }

    @Test
    void badInputIsA400NamingTheLineAndField() throws Exception {
        Map<String, String> cases = Map.of(
                "{\"lines\":[]}", "lines must be an array of 1 to 100 lines",
                "{\"lines\":[" + line("vendorA", "1", 1) + ",{\"vendor\":\"vendorA\",\"id\":\"2\",\"quantity\":0}]}", "lines[1].quantity",
                "{\"lines\":[{\"vendor\":\"vendorA\",\"quantity\":1}]}", "lines[0].id",
                "{\"items\":[]}", "lines is required",
                "not json", "not valid JSON");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = cart(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).as(c.getKey()).contains(c.getValue());
        }
        HttpResponse<String> text = send("POST", "/orders", lines(line("vendorA", "1", 1)), "Content-Type", "text/plain");
        assertThat(text.statusCode()).isEqualTo(415);
    }

    @Test
    void anIdempotencyKeyGivesTheFirstAnswerAndOneCart() throws Exception {
        String body = lines(line("vendorA", "31", 1), line("vendorB", "VB-1031", 1));
        String key = "cart-" + java.util.UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<HttpResponse<String>>> answers = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                answers.add(pool.submit(() -> {
                    start.await();
                    return cart(body, "Idempotency-Key", key);
                }));
            }
            start.countDown();
            java.util.Set<String> carts = new java.util.HashSet<>();
            int replayed = 0;
            for (Future<HttpResponse<String>> a : answers) {
                HttpResponse<String> r = a.get(30, TimeUnit.SECONDS);
                assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
                carts.add(json(r).get("cartId").asText());
                replayed += r.headers().firstValue("Idempotent-Replayed").isPresent() ? 1 : 0;
            }
            assertThat(carts).hasSize(1);
            assertThat(replayed).isEqualTo(7);
            assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE cart_id = ?::uuid", Integer.class, carts.iterator().next()))
                    .isEqualTo(2);
        } finally {
            pool.shutdownNow();
        }
        HttpResponse<String> other = cart(lines(line("vendorA", "31", 2)), "Idempotency-Key", key);
        assertThat(other.statusCode()).isEqualTo(422);
    }

    /**
     * 32 clients send mixed-vendor carts (lines in varying order, so locks are asked for in every order) for
     * four scarce products: never a partial cart, never oversold, every unit accounted for, no 5xx.
     */
    @Test
    void concurrentCartsOnScarceStockAreAllOrNothing() throws Exception {
        String[][] products = {{"vendorA", "41"}, {"vendorA", "42"}, {"vendorB", "VB-1041"}, {"vendorB", "VB-1042"}};
        for (String[] p : products) {
            stock(p[0], p[1], 12);
        }
        ExecutorService pool = Executors.newFixedThreadPool(32);
        Map<String, List<String[]>> accepted = new ConcurrentHashMap<>(); // cartId -> its lines (vendor, id, quantity)
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < 32; c++) {
                clients.add(pool.submit(() -> {
                    start.await();
                    for (int k = 0; k < 4; k++) {
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        List<String[]> chosen = new ArrayList<>();
                        List<String[]> shuffled = new ArrayList<>(List.of(products));
                        Collections.shuffle(shuffled);
                        int n = 2 + random.nextInt(3);
                        for (int i = 0; i < n; i++) {
                            String[] p = shuffled.get(i);
                            chosen.add(new String[] {p[0], p[1], String.valueOf(1 + random.nextInt(2))});
                        }
                        String body = lines(chosen.stream().map(l -> line(l[0], l[1], Integer.parseInt(l[2]))).toArray(String[]::new));
                        HttpResponse<String> r = cart(body);
                        statuses.add(r.statusCode());
                        if (r.statusCode() == 202) {
                            accepted.put(json(r).get("cartId").asText(), chosen);
                        }
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : clients) {
                f.get(120, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(statuses).hasSize(128).allMatch(s -> s == 202 || s == 409);
        assertThat(statuses).contains(202, 409);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE status = 'FAILED'", Integer.class)).isZero();
        // never a partial cart: every accepted cart has all its lines, nothing else holds these products
        List<Map<String, Object>> byCart = jdbc().queryForList(
                "SELECT cart_id::text AS cart, count(*) AS n FROM orders WHERE cart_id IS NOT NULL AND product_id IN ('41','42','VB-1041','VB-1042') GROUP BY cart_id");
        assertThat(byCart).hasSize(accepted.size());
        for (Map<String, Object> row : byCart) {
            assertThat(((Number) row.get("n")).intValue()).isEqualTo(accepted.get((String) row.get("cart")).size());
        }
        for (String[] p : products) {
            int ordered = accepted.values().stream().flatMap(List::stream).filter(l -> l[0].equals(p[0]) && l[1].equals(p[1]))
                    .mapToInt(l -> Integer.parseInt(l[2])).sum();
            assertThat(ordered).as("units of %s accepted", p[1]).isLessThanOrEqualTo(12);
            assertThat(available(p[0], p[1])).as("available %s", p[1]).isGreaterThanOrEqualTo(0);
            // whether delivered yet or not: 12 = what is left + what the orders hold
            assertThat(available(p[0], p[1]) + held(p[0], p[1])).as("units of %s accounted for", p[1]).isEqualTo(12);
        }
    }
}
