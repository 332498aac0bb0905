package dev.aggregator.api;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * GET /products?updatedSince= against the real database (issue 26): a change committed late is not skipped, what
 * counts as a change (orders yes, a poll's unchanged rewrite no), the 400s, and a client reading the feed while two
 * writers upsert thousands of products with the service's own SQL and orders reserve and confirm stock: at the end
 * what the feed returned is, for every product, its final state.
 */
class ChangesFeedIT extends AggregatorTestSupport {

    private static final String UPSERT = ClasspathText.load("sql/upsert-products.sql").replace(":#${body}", "?");

    @BeforeEach
    void catalogues() {
        awaitDemoCatalogues();
    }

    /** A client of the feed: what it was given last for each product, and where it stands. */
    private final class FeedClient {
        final Map<String, JsonNode> seen = new ConcurrentHashMap<>();
        final String vendor;
        String cursor;
        int pages;
        int rows;

        FeedClient(String vendor, String since) {
            this.vendor = vendor;
            this.cursor = since;
        }

        /** One page; returns its body. */
        JsonNode page(int limit) throws Exception {
            String path = "/products?limit=" + limit + "&updatedSince=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)
                    + (vendor == null ? "" : "&vendor=" + vendor);
            HttpResponse<String> r = get(path);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode body = json(r);
            assertThat(body.get("nextCursor").asText()).isNotBlank();
            for (JsonNode p : body.get("products")) {
                seen.put(key(p.get("vendor").asText(), p.get("id").asText()), p);
                rows++;
            }
            cursor = body.get("nextCursor").asText();
            pages++;
            return body;
        }

        /** Reads every page that is ready now. */
        void drain() throws Exception {
            while (page(200).get("hasMore").asBoolean()) {
                // the next page at once
            }
        }

        /** Reads until its cursor stands past transaction xid: every change of that one and earlier was answered. */
        void readPast(long xid) {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
                drain();
                return ChangeCursor.decode(cursor).xid() > xid;
            });
        }
    }

    private Connection connect() throws java.sql.SQLException {
        return java.sql.DriverManager.getConnection(TestServices.jdbcUrl(database), "postgres", "");
    }

    private static String key(String vendor, String id) {
        return vendor + "/" + id;
    }

    /** The id of a transaction begun now: every change committed before this call has a smaller one. */
    private long transactionNow() {
        Long xid = jdbc().queryForObject("SELECT pg_current_xact_id()::text::bigint", Long.class);
        return Objects.requireNonNull(xid);
    }

    private FeedClient clientAtTheEnd(String vendor) {
        FeedClient client = new FeedClient(vendor, "1970-01-01T00:00:00Z");
        client.readPast(transactionNow());
        return client;
    }

    @Test
    void aChangeCommittedLateIsNotSkipped() throws Exception {
        FeedClient client = clientAtTheEnd(null);
        client.seen.clear();
        try (Connection late = connect(); Connection early = connect()) {
            late.setAutoCommit(false);
            // the late transaction writes first (the smaller id and the earlier time) and commits last
            try (Statement s = late.createStatement()) {
                s.executeUpdate("UPDATE products SET price = 123.45 WHERE vendor = 'vendorA' AND product_id = '1'");
            }
            try (Statement s = early.createStatement()) {
                s.executeUpdate("UPDATE products SET price = 678.90 WHERE vendor = 'vendorA' AND product_id = '2'");
            }
            client.drain();
            // the committed change waits behind the open one: answering it now would move the cursor past the other
            assertThat(client.seen).doesNotContainKey("vendorA/2");
            late.commit();
        }
        client.readPast(transactionNow());
        assertThat(client.seen.get("vendorA/1").get("price").decimalValue()).isEqualByComparingTo("123.45");
        assertThat(client.seen.get("vendorA/2").get("price").decimalValue()).isEqualByComparingTo("678.90");
    }

    @Test
    void ordersCountAsChangesAndAPollsUnchangedRewriteDoesNot() throws Exception {
        FeedClient client = clientAtTheEnd("vendorB");
        client.seen.clear();

        // a poll that lists every product as it is: newer fetch, same name, price and stock
        long rewrite;
        try (Connection c = connect()) {
            c.setAutoCommit(false);
            upsert(c, currentRows("vendorB", Instant.now().plusSeconds(1)));
            rewrite = xidOf(c);
            c.commit();
        }
        assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor = 'vendorB' AND fetched_at > now() - interval '1 minute'"
                + " AND updated_at > now() - interval '1 minute'", Integer.class)).isEqualTo(55);
        client.readPast(rewrite);
        assertThat(client.seen).as("an unchanged rewrite is no change").isEmpty();

        // an order reserves (a change), its confirm moves vendor stock (another)
        JsonNode before = product("vendorB", "VB-1003");
        // the vendor takes its time: the reservation is seen before the confirm
        demoVendor("B").setFaults(new dev.aggregator.demo.DemoVendor.Faults(0, 503, 0, 3000));
        HttpResponse<String> placed = post("{\"id\":\"VB-1003\",\"vendor\":\"vendorB\",\"quantity\":2}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        client.readPast(transactionNow());
        demoVendor("B").setFaults(dev.aggregator.demo.DemoVendor.Faults.NONE);
        JsonNode reserved = client.seen.get("vendorB/VB-1003");
        assertThat(reserved.get("reserved").asInt()).isEqualTo(before.get("reserved").asInt() + 2);
        assertThat(reserved.get("stock").asInt()).isEqualTo(before.get("stock").asInt() - 2);
        assertThat(Instant.parse(reserved.get("changedAt").asText())).isAfter(Instant.parse(before.get("changedAt").asText()));

        awaitStatus(json(placed).get("orderId").asText(), "SYNCED");
        client.readPast(transactionNow());
        JsonNode confirmed = client.seen.get("vendorB/VB-1003");
        assertThat(confirmed.get("vendorStock").asInt()).isEqualTo(before.get("vendorStock").asInt() - 2);
        assertThat(confirmed.get("reserved").asInt()).isEqualTo(before.get("reserved").asInt());
        assertThat(client.seen).containsOnlyKeys("vendorB/VB-1003");

        // delisting and listing again are changes too
        jdbc().update(ClasspathText.load("sql/stock/delist-unseen.sql").replace(":vendor", "'vendorB'")
                .replace("CAST(:fetchedAt AS timestamptz)", "now()") + " AND p.product_id = 'VB-1004'");
        client.readPast(transactionNow());
        assertThat(client.seen.get("vendorB/VB-1004").get("delistedAt").asText()).isNotBlank();
        assertThat(client.seen.get("vendorB/VB-1004").get("stock").asInt()).isZero();
    }

    @Test
    void anInstantBeforeTheFeedAnswersFromTheStartAndALaterOneOnlyWhatFollows() throws Exception {
        FeedClient all = new FeedClient(null, "2000-01-01T00:00:00Z");
        all.readPast(transactionNow());
        assertThat(all.seen.keySet()).containsAll(jdbc().queryForList("SELECT vendor || '/' || product_id FROM products", String.class));
        JsonNode one = all.seen.get("vendorA/5");
        for (String field : List.of("vendor", "id", "name", "price", "stock", "vendorStock", "reserved", "fetchedAt", "updatedAt", "changedAt")) {
            assertThat(one.has(field)).as(field).isTrue();
        }

        OffsetDateTime dbNow = jdbc().queryForObject("SELECT clock_timestamp()", OffsetDateTime.class);
        jdbc().update("UPDATE products SET name = name || ' (new)' WHERE vendor = 'vendorA' AND product_id = '6'");
        // an unencoded '+' of the offset arrives as a space: taken as '+'
        String since = dbNow.withOffsetSameInstant(ZoneOffset.ofHours(1)).toString();
        HttpResponse<String> r = get("/products?updatedSince=" + since + "&vendor=vendorA");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        FeedClient later = new FeedClient("vendorA", since);
        later.readPast(transactionNow());
        assertThat(later.seen.get("vendorA/6").get("name").asText()).endsWith(" (new)");
        assertThat(later.seen).doesNotContainKey("vendorA/7");

        // an instant still to come: nothing yet, and a cursor to go on with
        JsonNode future = json(get("/products?updatedSince=2999-01-01T00:00:00Z"));
        assertThat(future.get("products")).isEmpty();
        assertThat(future.get("hasMore").asBoolean()).isFalse();
        assertThat(future.get("nextCursor").asText()).startsWith("A");
    }

    @Test
    void badValuesAre400sNamingThem() throws Exception {
        String ofA = json(get("/products?updatedSince=2000-01-01T00:00:00Z&vendor=vendorA&limit=1")).get("nextCursor").asText();
        Map<String, String> cases = new HashMap<>();
        cases.put("/products?updatedSince=yesterday", "updatedSince");
        cases.put("/products?updatedSince=", "updatedSince is empty");
        cases.put("/products?updatedSince=2026-12-02T10:00:00", "updatedSince");
        cases.put("/products?updatedSince=2026-12-02T10:00:00Z&limit=0", "limit");
        cases.put("/products?updatedSince=2026-12-02T10:00:00Z&limit=1001", "limit");
        cases.put("/products?updatedSince=2026-12-02T10:00:00Z&offset=10", "offset");
        cases.put("/products?updatedSince=2026-12-02T10:00:00Z&cursor=dmVuZG9yQQAy", "cursor");
        cases.put("/products?updatedSince=" + ofA, "vendor 'vendorA'");
        cases.put("/products?updatedSince=" + ofA + "&vendor=vendorB", "vendor 'vendorA'");
        for (Map.Entry<String, String> c : cases.entrySet()) {
            HttpResponse<String> r = get(c.getKey());
            assertThat(r.statusCode()).as(c.getKey()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(c.getKey()).hasValue("application/problem+json");
            assertThat(json(r).get("detail").asText()).as(c.getKey()).contains(c.getValue());
        }
        assertThat(get("/products?updatedSince=" + ofA + "&vendor=vendorA").statusCode()).isEqualTo(200);
        JsonNode api = json(get("/openapi.json"));
        assertThat(api.toString()).contains("\"updatedSince\"");
    }

    /**
     * Two writers upsert products (the service's SQL, batches in transactions held open a few milliseconds, so
     * commits come out of order), orders reserve and confirm stock, some products are delisted and listed again,
     * while a client reads the feed in a loop. At the end the client's last version of every product is its
     * state in the table.
     */
    @Test
    void theFeedMissesNoChangeWhileUpsertsAndOrdersCommitConcurrently() throws Exception {
        FeedClient client = clientAtTheEnd(null);
        int pagesBefore = client.pages;
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger upserts = new AtomicInteger();
        AtomicInteger orders = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<?>> writers = new ArrayList<>();
        try {
            for (int w = 0; w < 2; w++) {
                writers.add(pool.submit(() -> {
                    try (Connection c = connect()) {
                        c.setAutoCommit(false);
                        ThreadLocalRandom random = ThreadLocalRandom.current();
                        for (int round = 0; round < 150; round++) {
                            try {
                                upsert(c, randomRows(40));
                                try (Statement s = c.createStatement()) {
                                    s.execute("SELECT pg_sleep(" + random.nextInt(15) / 1000.0 + ")"); // commits out of order
                                }
                                c.commit();
                                upserts.addAndGet(40);
                                if (random.nextInt(20) == 0) {
                                    // a poll that no longer lists some of feedC's products
                                    try (Statement s = c.createStatement()) {
                                        s.executeUpdate("UPDATE products SET vendor_stock = 0, delisted_at = clock_timestamp()"
                                                + " WHERE vendor = 'feedC' AND delisted_at IS NULL AND product_id LIKE '%" + random.nextInt(10) + "'");
                                    }
                                    c.commit();
                                }
                            } catch (java.sql.SQLException e) {
                                // the delisting locks rows in the table's order, the upsert in key order
                                if (!"40P01".equals(e.getSQLState())) {
                                    throw e;
                                }
                                c.rollback();
                            }
                        }
                    }
                    return null;
                }));
            }
            List<String> orderIds = new ArrayList<>();
            Future<?> ordering = pool.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                // At most 400: every order is waited for below, and how many fit in the writers' time depends on
                // the machine (615 in one CI run, 1,488 in the next, whose deliveries then outlasted the wait).
                while (writing.get() && orders.get() < 400) {
                    boolean a = random.nextBoolean();
                    String id = a ? String.valueOf(1 + random.nextInt(60)) : "VB-" + (1001 + random.nextInt(55));
                    HttpResponse<String> r = post("{\"id\":\"" + id + "\",\"vendor\":\"" + (a ? "vendorA" : "vendorB") + "\",\"quantity\":1}");
                    if (r.statusCode() == 202) {
                        orderIds.add(json(r).get("orderId").asText());
                        orders.incrementAndGet();
                    }
                }
                return null;
            });
            Future<?> reading = pool.submit(() -> {
                while (writing.get()) {
                    client.page(200);
                }
                return null;
            });
            for (Future<?> w : writers) {
                w.get();
            }
            writing.set(false);
            ordering.get();
            reading.get();
            await().atMost(Duration.ofSeconds(60)).until(() -> finished(orderIds) == orderIds.size());
        } finally {
            writing.set(false);
            pool.shutdownNow();
        }
        assertThat(upserts.get()).isGreaterThan(10_000);
        assertThat(orders.get()).isGreaterThan(20);
        assertThat(client.pages - pagesBefore).as("pages read while writing").isGreaterThan(10);

        client.readPast(transactionNow());
        List<Map<String, Object>> table = jdbc().queryForList("SELECT vendor, product_id, name, price, GREATEST(vendor_stock - reserved, 0) AS stock,"
                + " vendor_stock, reserved, delisted_at FROM products");
        assertThat(client.seen).hasSize(table.size());
        List<String> differences = new ArrayList<>();
        for (Map<String, Object> row : table) {
            String key = key((String) row.get("vendor"), (String) row.get("product_id"));
            JsonNode fed = client.seen.get(key);
            java.sql.Timestamp delisted = (java.sql.Timestamp) row.get("delisted_at");
            boolean same = fed != null
                    && fed.get("name").asText().equals(row.get("name"))
                    && fed.get("price").decimalValue().compareTo((BigDecimal) row.get("price")) == 0
                    && fed.get("stock").asInt() == ((Number) row.get("stock")).intValue()
                    && fed.get("vendorStock").asInt() == ((Number) row.get("vendor_stock")).intValue()
                    && fed.get("reserved").asInt() == ((Number) row.get("reserved")).intValue()
                    && (delisted == null ? !fed.has("delistedAt")
                            : fed.has("delistedAt") && Instant.parse(fed.get("delistedAt").asText()).equals(delisted.toInstant()));
            if (!same) {
                differences.add(key + ": table " + row + ", feed " + fed);
            }
        }
        assertThat(differences).isEmpty();
    }

    /** Rows as the normalizer writes them: random products of feedC (1,000), vendorA and vendorB, one id at most once. */
    private static String randomRows(int n) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        Map<String, ObjectNode> rows = new HashMap<>();
        String fetched = Instant.now().toString();
        while (rows.size() < n) {
            int pick = random.nextInt(10);
            String vendor = pick < 7 ? "feedC" : pick < 9 ? "vendorA" : "vendorB";
            String id = switch (vendor) {
                case "feedC" -> String.valueOf(random.nextInt(1000));
                case "vendorA" -> String.valueOf(1 + random.nextInt(60));
                default -> "VB-" + (1001 + random.nextInt(55));
            };
            ObjectNode r = JSON.createObjectNode();
            r.put("vendor", vendor).put("product_id", id).put("name", "Product " + id + (random.nextInt(4) == 0 ? " v" + random.nextInt(3) : ""))
                    .put("price", new BigDecimal(random.nextInt(1, 5000)).movePointLeft(2)).put("stock", 40 + random.nextInt(60))
                    .put("source", "test").put("fetched_at", fetched);
            r.putObject("raw").put("id", id);
            rows.put(key(vendor, id), r);
        }
        ArrayNode array = JSON.createArrayNode();
        rows.values().forEach(array::add);
        return array.toString();
    }

    /** vendor's products as they are, as a poll fetched at {@code fetched} would list them. */
    private String currentRows(String vendor, Instant fetched) {
        ArrayNode array = JSON.createArrayNode();
        jdbc().query("SELECT product_id, name, price, vendor_stock FROM products WHERE vendor = ?", rs -> {
            ObjectNode r = array.addObject();
            r.put("vendor", vendor).put("product_id", rs.getString(1)).put("name", rs.getString(2)).put("price", rs.getBigDecimal(3))
                    .put("stock", rs.getInt(4)).put("source", "test").put("fetched_at", fetched.toString());
            r.putObject("raw").put("id", rs.getString(1));
        }, vendor);
        return array.toString();
    }

    private static void upsert(Connection c, String rows) throws Exception {
        try (PreparedStatement st = c.prepareStatement(UPSERT)) {
            st.setString(1, rows);
            st.executeUpdate();
        }
    }

    private static long xidOf(Connection c) throws Exception {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT pg_current_xact_id()::text::bigint")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private JsonNode product(String vendor, String id) throws Exception {
        FeedClient c = new FeedClient(vendor, "2000-01-01T00:00:00Z");
        c.readPast(transactionNow());
        return c.seen.get(key(vendor, id));
    }
}
