package dev.aggregator.api;

import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 26 against the real database: GET /products/{vendor}/{id} (its 404 and 304), and GET /products' search,
 * filters and sorts, alone and combined, each walked page by page with the cursor and compared with a plain SQL
 * query of the table (every matching product exactly once, in the order asked); bad values are 400s naming them.
 */
class ProductSearchIT extends AggregatorTestSupport {

    /** Six kinds of name, with accents, case and LIKE's wildcards; prices, stock and times with many ties. */
    private static final String CATALOGUE = """
            INSERT INTO products (vendor, product_id, name, price, vendor_stock, reserved, raw, source, fetched_at, updated_at)
            SELECT 'shop' || (i % 3), i::text,
                   (ARRAY['Crème brûlée ', 'CREME fraiche ', 'Lip Gloss ', 'lip gloss mini ', 'Deal 50%_off ', 'Deal 50% off '])[1 + i % 6] || i,
                   (i * 7) % 23 + 0.99, i % 4, CASE WHEN i % 8 = 1 THEN 1 ELSE 0 END, '{}', 'test', now(),
                   now() - (i % 11) * interval '1 minute'
              FROM generate_series(1, 240) i""";

    @Override
    protected void settings(Properties p) {
        p.setProperty("DEMO_VENDORS", "false");
    }

    private boolean written;

    @BeforeEach
    void catalogue() {
        if (written) {
            return;
        }
        // No vendor is configured. The products of vendors not configured are delisted when the vendors change, which
        // happens as the context starts (VendorFiles' first scan), before this runs, and not again in this class.
        // Products written straight into the table, as a poll would have stored them; one delisted already.
        jdbc().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at, delisted_at) "
                + "VALUES ('gone', '1', 'Gone product', 1, 0, '{}', now(), now())");
        jdbc().update(CATALOGUE);
        written = true;
    }

    @Test
    void oneProductIsTheListsElementWithAnETagA304AndA404() throws Exception {
        JsonNode listed = null;
        for (JsonNode p : json(get("/products?vendor=shop1&limit=1000")).get("products")) {
            if (p.get("id").asText().equals("7")) {
                listed = p;
            }
        }
        assertThat(listed).isNotNull();
        HttpResponse<String> one = get("/products/shop1/7");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(one)).isEqualTo(listed);

        String etag = one.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> unchanged = send("GET", "/products/shop1/7", null, "If-None-Match", etag);
        assertThat(unchanged.statusCode()).isEqualTo(304);
        assertThat(unchanged.body()).isEmpty();
        assertThat(unchanged.headers().firstValue("ETag")).hasValue(etag);

        jdbc().update("UPDATE products SET vendor_stock = vendor_stock + 5 WHERE vendor = 'shop1' AND product_id = '7'");
        HttpResponse<String> changed = send("GET", "/products/shop1/7", null, "If-None-Match", etag);
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(json(changed).get("stock").asInt()).isEqualTo(listed.get("stock").asInt() + 5);
        assertThat(changed.headers().firstValue("ETag")).isPresent().isNotEqualTo(one.headers().firstValue("ETag"));
        jdbc().update("UPDATE products SET vendor_stock = vendor_stock - 5 WHERE vendor = 'shop1' AND product_id = '7'");

        // a delisted product is still one: stock 0 and when it left the listing
        JsonNode gone = json(get("/products/gone/1"));
        assertThat(gone.get("stock").asInt()).isZero();
        assertThat(gone.has("delistedAt")).isTrue();

        for (String path : new String[] {"/products/shop1/99999", "/products/nosuch/7", "/products/shop0/7"}) {
            HttpResponse<String> missing = get(path);
            assertThat(missing.statusCode()).as(path).isEqualTo(404);
            assertThat(missing.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(missing).get("detail").asText()).contains(path.substring(path.lastIndexOf('/') + 1));
        }
        // an id with characters a URL escapes is found by its escaped form
        jdbc().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at) "
                + "VALUES ('shop1', 'Crème 50% A&B', 'Escaped id', 1, 5, '{}', now())");
        try {
            HttpResponse<String> escaped = get("/products/shop1/" + enc("Crème 50% A&B"));
            assertThat(escaped.statusCode()).isEqualTo(200);
            assertThat(json(escaped).get("id").asText()).isEqualTo("Crème 50% A&B");
        } finally {
            jdbc().update("DELETE FROM products WHERE vendor = 'shop1' AND product_id = 'Crème 50% A&B'");
        }
        // found as soon as it exists: a 404 is not kept
        jdbc().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at) "
                + "VALUES ('shop1', '99999', 'Late product', 1, 5, '{}', now())");
        try {
            assertThat(get("/products/shop1/99999").statusCode()).isEqualTo(200);
        } finally {
            jdbc().update("DELETE FROM products WHERE vendor = 'shop1' AND product_id = '99999'");
        }
    }

    /** A request's parameters, and the same question as SQL: which products, in which order. */
    private record Case(String params, String where, String orderBy) {
    }

    private static final String BY_KEY = "vendor, length(product_id), product_id";
    private static final String BY_KEY_DESC = "vendor DESC, length(product_id) DESC, product_id DESC";

    @Test
    void everyFilterAndSortAloneAndCombinedWalksEveryMatchOnceInOrder() throws Exception {
        List<Case> cases = List.of(
                new Case("q=creme", "position('Crème' in name) > 0 OR position('CREME' in name) > 0", BY_KEY),
                new Case("q=" + enc("CRÈME BRÛL"), "position('Crème brûlée' in name) > 0", BY_KEY),
                new Case("q=" + enc("50%_off"), "position('50%_off' in name) > 0", BY_KEY),
                new Case("q=" + enc("lip gloss"), "lower(name) LIKE 'lip gloss%'", BY_KEY),
                new Case("inStock=true", "vendor_stock - reserved > 0", BY_KEY),
                new Case("inStock=false", "vendor_stock - reserved <= 0", BY_KEY),
                new Case("minPrice=10", "price >= 10", BY_KEY),
                new Case("maxPrice=3.99", "price <= 3.99", BY_KEY),
                new Case("minPrice=5&maxPrice=12.99", "price BETWEEN 5 AND 12.99", BY_KEY),
                new Case("sort=price", "true", "price, " + BY_KEY),
                new Case("sort=-price", "true", "price DESC, " + BY_KEY_DESC),
                new Case("sort=name", "true", "name, " + BY_KEY),
                new Case("sort=-updatedAt", "true", "updated_at DESC, " + BY_KEY_DESC),
                new Case("vendor=shop0&sort=price", "vendor = 'shop0'", "price, " + BY_KEY),
                new Case("vendor=shop2&inStock=true&sort=-updatedAt", "vendor = 'shop2' AND vendor_stock - reserved > 0",
                        "updated_at DESC, " + BY_KEY_DESC),
                new Case("vendor=shop2&q=GLOSS&inStock=true&minPrice=3&maxPrice=20&sort=-price",
                        "vendor = 'shop2' AND position('gloss' in lower(name)) > 0 AND vendor_stock - reserved > 0 "
                                + "AND price BETWEEN 3 AND 20", "price DESC, " + BY_KEY_DESC),
                new Case("q=deal&minPrice=2&sort=name", "name LIKE 'Deal%' AND price >= 2", "name, " + BY_KEY),
                new Case("q=zzz", "false", BY_KEY));
        for (Case c : cases) {
            List<String> expected = jdbc().queryForList("SELECT vendor || '/' || product_id FROM products WHERE ("
                    + c.where() + ") ORDER BY " + c.orderBy(), String.class);
            assertThat(expected.isEmpty()).as(c.params()).isEqualTo(c.params().equals("q=zzz"));
            List<String> walked = new ArrayList<>();
            String cursor = null;
            int pages = 0;
            do {
                JsonNode page = json(get("/products?limit=7&" + c.params() + (cursor == null ? "" : "&cursor=" + cursor)));
                assertThat(page.get("total").asInt()).as(c.params()).isEqualTo(expected.size());
                assertThat(page.get("products").size()).as(c.params()).isLessThanOrEqualTo(7);
                for (JsonNode p : page.get("products")) {
                    walked.add(p.get("vendor").asText() + "/" + p.get("id").asText());
                }
                cursor = page.has("nextCursor") ? page.get("nextCursor").asText() : null;
                pages++;
            } while (cursor != null && pages < 200);
            assertThat(walked).as(c.params()).containsExactlyElementsOf(expected);
            assertThat(pages).as(c.params()).isEqualTo(Math.max(1, (expected.size() + 6) / 7));
        }
    }

    @Test
    void aSearchAnswersWithAnETagAnd304AndOneAnswerPerQuery() throws Exception {
        String path = "/products?q=gloss&sort=price&limit=5";
        HttpResponse<String> r = get(path);
        String etag = r.headers().firstValue("ETag").orElseThrow();
        HttpResponse<String> again = send("GET", path, null, "If-None-Match", etag);
        assertThat(again.statusCode()).isEqualTo(304);
        assertThat(again.body()).isEmpty();
        assertThat(get("/products?q=gloss&sort=-price&limit=5").headers().firstValue("ETag")).isNotEqualTo(r.headers().firstValue("ETag"));
        assertThat(get("/products?q=creme&sort=price&limit=5").headers().firstValue("ETag")).isNotEqualTo(r.headers().firstValue("ETag"));
        // equal values written differently are the same question
        assertThat(get("/products?q=gloss&sort=price&limit=5&minPrice=0").body())
                .isEqualTo(get("/products?q=gloss&sort=price&limit=5&minPrice=0.000").body());
    }

    @Test
    void eachBadValueIsA400NamingIt() throws Exception {
        String priceCursor = json(get("/products?sort=price&limit=2")).get("nextCursor").asText();
        String plainCursor = json(get("/products?limit=2")).get("nextCursor").asText();
        String[][] bad = {
                {"sort=cheap", "sort"}, {"sort=-name", "sort"}, {"inStock=yes", "inStock"}, {"minPrice=-1", "minPrice"},
                {"maxPrice=abc", "maxPrice"}, {"minPrice=1e3", "minPrice"}, {"minPrice=5&maxPrice=1", "minPrice"},
                {"q=" + "x".repeat(201), "q"}, {"q=a&limit=0", "limit"}, {"q=a&offset=-1", "offset"},
                {"sort=name&cursor=" + priceCursor, "cursor"}, {"sort=price&q=a&cursor=" + priceCursor, "cursor"},
                {"sort=price&vendor=shop1&cursor=" + priceCursor, "cursor"}, {"cursor=" + priceCursor, "cursor"},
                {"sort=price&cursor=" + plainCursor, "cursor"}, {"sort=price&cursor=!!!", "cursor"}};
        for (String[] b : bad) {
            HttpResponse<String> r = get("/products?" + b[0]);
            assertThat(r.statusCode()).as(b[0]).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).as(b[0]).hasValue("application/problem+json");
            assertThat(json(r).get("detail").asText()).as(b[0]).contains(b[1]);
        }
        // the cursor of a search continues it
        assertThat(get("/products?sort=price&cursor=" + priceCursor).statusCode()).isEqualTo(200);
    }

    @Test
    void theSearchAndThePriceOrderCanReadTheirIndexes() {
        // With 240 rows the planner rightly scans the table; told not to, it must find an index that fits the expression.
        List<String> plans = jdbc().execute((ConnectionCallback<List<String>>) c -> {
            List<String> out = new ArrayList<>();
            try (var s = c.createStatement()) {
                s.execute("SET enable_seqscan = off");
                for (String q : new String[] {
                        "EXPLAIN SELECT * FROM products p WHERE product_search_text(p.name) LIKE '%' || product_search_text('CRÈME') || '%'",
                        "EXPLAIN SELECT * FROM products p ORDER BY p.price DESC, p.vendor DESC, length(p.product_id) DESC, p.product_id DESC LIMIT 8"}) {
                    StringBuilder plan = new StringBuilder();
                    try (var rs = s.executeQuery(q)) {
                        while (rs.next()) {
                            plan.append(rs.getString(1)).append('\n');
                        }
                    }
                    out.add(plan.toString());
                }
            }
            return out;
        });
        assertThat(plans.get(0)).contains("products_name_search");
        assertThat(plans.get(1)).contains("products_by_price").doesNotContain("Sort");
    }

    @Test
    void theOpenApiDocumentHasTheEndpointAndTheParameters() throws Exception {
        JsonNode doc = json(get("/openapi.json"));
        JsonNode one = doc.at("/paths/~1products~1{vendor}~1{id}/get");
        assertThat(one.isMissingNode()).isFalse();
        assertThat(one.get("responses").has("404")).isTrue();
        List<String> params = new ArrayList<>();
        doc.at("/paths/~1products/get/parameters").forEach(p -> params.add(p.get("name").asText()));
        assertThat(params).contains("q", "inStock", "minPrice", "maxPrice", "sort", "cursor", "vendor");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
