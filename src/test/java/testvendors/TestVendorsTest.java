package testvendors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import testvendors.StyledVendor.Product;
import testvendors.StyledVendor.Request;

/** Each outside vendor style: its whole catalogue read by its own paging equals expectedProducts(), an order as it wants it, throttling. */
class TestVendorsTest {

    private static final Pattern NEXT = Pattern.compile("<([^>]+)>;\\s*rel=\"next\"");
    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void shopifyStyle() throws Exception {
        try (ShopifyStyleVendor v = new ShopifyStyleVendor(0, 23, 0, "shpat_1")) {
            List<Product> got = new ArrayList<>();
            String url = v.baseUrl() + "/admin/api/products.json?limit=5";
            int pages = 0;
            while (url != null) {
                HttpResponse<String> r = send(get(url).header("X-Shopify-Access-Token", "shpat_1"));
                assertEquals(200, r.statusCode());
                String link = r.headers().firstValue("Link").orElse("");
                assertEquals(pages > 0, link.contains("rel=\"previous\""), link);
                for (JsonNode p : json.readTree(r.body()).get("products")) {
                    for (JsonNode var : p.get("variants")) {
                        got.add(new Product(var.get("id").asText(), p.get("title").asText() + " - " + var.get("title").asText(),
                                new BigDecimal(var.get("price").textValue()), var.get("inventory_quantity").asInt()));
                    }
                }
                Matcher m = NEXT.matcher(link);
                url = m.find() ? m.group(1) : null;
                pages++;
            }
            assertEquals(5, pages);
            assertEquals(v.expectedProducts(), got);
            assertTrue(got.size() > 23 && got.get(0).id().length() > 10, "variants, long ids");
            assertAwkward(got);
            assertEquals(401, send(get(v.baseUrl() + "/admin/api/products.json")).statusCode());

            String order = "{\"order\":{\"line_items\":[{\"variant_id\":" + got.get(1).id() + ",\"quantity\":2}],\"note\":\"ord-1\"}}";
            HttpResponse<String> r = send(post(v.baseUrl() + "/admin/api/orders.json", order).header("X-Shopify-Access-Token", "shpat_1"));
            assertEquals(201, r.statusCode());
            assertEquals("#1001", json.readTree(r.body()).at("/order/name").asText());
            assertTrue(json.readTree(r.body()).at("/order/id").isIntegralNumber());
            Request seen = v.orders().get(0);
            assertEquals("POST", seen.method());
            assertEquals("/admin/api/orders.json", seen.pathAndQuery());
            assertEquals("shpat_1", seen.headers().get("x-shopify-access-token"));
            assertEquals(order, seen.body());
            assertEquals(201, seen.status());
            String asString = order.replace("\"variant_id\":" + got.get(1).id(), "\"variant_id\":\"" + got.get(1).id() + "\"");
            assertEquals(422, send(post(v.baseUrl() + "/admin/api/orders.json", asString).header("X-Shopify-Access-Token", "shpat_1")).statusCode());
            assertEquals(5 + 1, v.catalogRequests().size());
        }
    }

    @Test
    void wooStyle() throws Exception {
        try (WooStyleVendor v = new WooStyleVendor(0, 25, 0, "ck_user", "cs_secret")) {
            String basic = "Basic " + Base64.getEncoder().encodeToString("ck_user:cs_secret".getBytes(StandardCharsets.UTF_8));
            List<Product> got = new ArrayList<>();
            for (int page = 1; ; page++) {
                HttpResponse<String> r = send(get(v.baseUrl() + "/wp-json/wc/v3/products?page=" + page + "&per_page=10").header("Authorization", basic));
                assertEquals(200, r.statusCode());
                assertEquals("25", r.headers().firstValue("X-WP-Total").orElseThrow());
                assertEquals("3", r.headers().firstValue("X-WP-TotalPages").orElseThrow());
                JsonNode array = json.readTree(r.body());
                assertTrue(array.isArray());
                if (array.isEmpty()) {
                    assertEquals(4, page);
                    break;
                }
                for (JsonNode p : array) {
                    got.add(new Product(p.get("id").asText(), p.get("name").asText(), new BigDecimal(p.get("price").textValue()).setScale(2),
                            p.get("stock_quantity").asInt()));
                }
            }
            assertEquals(v.expectedProducts(), got);
            assertAwkward(got);
            HttpResponse<String> denied = send(get(v.baseUrl() + "/wp-json/wc/v3/products"));
            assertEquals(401, denied.statusCode());
            assertTrue(denied.headers().firstValue("WWW-Authenticate").isPresent());

            String order = "{\"line_items\":[{\"product_id\":" + got.get(3).id() + ",\"quantity\":1}],\"customer_note\":\"ord-2\"}";
            HttpResponse<String> r = send(post(v.baseUrl() + "/wp-json/wc/v3/orders", order).header("Authorization", basic));
            assertEquals(201, r.statusCode());
            assertEquals("701", json.readTree(r.body()).get("number").asText());
            assertEquals("processing", json.readTree(r.body()).get("status").asText());
            assertEquals(order, v.orders().get(0).body());
            assertEquals(basic, v.orders().get(0).headers().get("AUTHORIZATION"));
            // no JSON Content-Type: refused as WordPress would not read the body
            HttpResponse<String> untyped = send(HttpRequest.newBuilder(URI.create(v.baseUrl() + "/wp-json/wc/v3/orders"))
                    .POST(HttpRequest.BodyPublishers.ofString(order)).header("Authorization", basic));
            assertEquals(415, untyped.statusCode());
        }
    }

    @Test
    void cursorApi() throws Exception {
        try (CursorApiVendor v = new CursorApiVendor(0, 30, 150, "tok")) {
            List<Product> got = new ArrayList<>();
            String cursor = null;
            do {
                String url = v.baseUrl() + "/v1/catalog/items?limit=7" + (cursor == null ? "" : "&cursor=" + cursor);
                HttpResponse<String> r = send(get(url).header("Authorization", "Bearer tok"));
                assertEquals(200, r.statusCode(), r.body());
                JsonNode body = json.readTree(r.body());
                for (JsonNode i : body.at("/data/items")) {
                    got.add(new Product(i.get("sku").asText(), i.get("label").asText(), BigDecimal.valueOf(i.get("price_cents").asLong(), 2),
                            i.get("available").asInt()));
                }
                cursor = body.at("/meta/next_cursor").isNull() ? null : body.at("/meta/next_cursor").asText();
            } while (cursor != null);
            assertEquals(v.expectedProducts(), got);
            assertAwkward(got);
            assertEquals(5, v.catalogRequests().size());

            String order = "{\"sku\":\"CUR-0004\",\"qty\":3}";
            long t0 = System.nanoTime();
            HttpResponse<String> r = send(put(v.baseUrl() + "/v1/orders/ord-3", order).header("Authorization", "Bearer tok"));
            assertTrue(System.nanoTime() - t0 >= 150_000_000L, "the latency");
            assertEquals(200, r.statusCode());
            assertEquals("{\"order_ref\":\"CUR-ORD-1\"}", r.body());
            assertEquals("PUT", v.orders().get(0).method());
            assertEquals("/v1/orders/ord-3", v.orders().get(0).pathAndQuery());
            assertEquals(r.body(), send(put(v.baseUrl() + "/v1/orders/ord-3", order).header("Authorization", "Bearer tok")).body());
            assertEquals(409, send(put(v.baseUrl() + "/v1/orders/ord-3", order.replace("3}", "4}")).header("Authorization", "Bearer tok")).statusCode());
            assertEquals(401, send(put(v.baseUrl() + "/v1/orders/ord-3", order)).statusCode());

            v.ordersFail(503);
            assertEquals(503, send(put(v.baseUrl() + "/v1/orders/ord-9", order).header("Authorization", "Bearer tok")).statusCode());
            assertEquals(503, v.orders().get(v.orders().size() - 1).status());
            v.ordersFail(0);
            assertEquals(200, send(put(v.baseUrl() + "/v1/orders/ord-9", order).header("Authorization", "Bearer tok")).statusCode());
        }
    }

    @Test
    void csvFeed() throws Exception {
        try (CsvFeedVendor v = new CsvFeedVendor(0, 40, 0)) {
            HttpResponse<byte[]> zipped = http.send(get(v.baseUrl() + "/export/stock.csv").header("Accept-Encoding", "gzip, deflate").build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElseThrow());
            assertEquals("text/csv; charset=utf-8", zipped.headers().firstValue("Content-Type").orElseThrow());
            String text = new String(new GZIPInputStream(new ByteArrayInputStream(zipped.body())).readAllBytes(), StandardCharsets.UTF_8);
            HttpResponse<String> plain = send(get(v.baseUrl() + "/export/stock.csv"));
            assertTrue(plain.headers().firstValue("Content-Encoding").isEmpty());
            assertEquals(text, plain.body());
            assertTrue(text.contains("\"W-7\";\"Widget 7 \"\"Deluxe\"\" 3\\4\";"), text);

            List<List<String>> rows = csv(text);
            assertEquals(List.of("sku", "name", "price", "qty"), rows.get(0));
            List<Product> got = new ArrayList<>();
            for (List<String> row : rows.subList(1, rows.size())) {
                assertEquals(4, row.size(), row.toString());
                got.add(new Product(row.get(0), row.get(1), new BigDecimal(row.get(2)), Integer.parseInt(row.get(3))));
            }
            assertEquals(v.expectedProducts(), got);
            assertAwkward(got);

            String order = "{\"sku\":\"W-7\",\"quantity\":2,\"reference\":\"ord-4\"}";
            HttpResponse<String> r = send(post(v.baseUrl() + "/orders", order));
            assertEquals(202, r.statusCode());
            assertEquals("{\"ticket\":\"T-1\"}", r.body());
            assertEquals(order, v.orders().get(0).body());
            assertEquals(400, send(post(v.baseUrl() + "/orders", "{\"sku\":\"W-7\",\"quantity\":0,\"reference\":\"x\"}")).statusCode());
        }
    }

    @Test
    void xmlCatalogue() throws Exception {
        try (XmlCatalogueVendor v = new XmlCatalogueVendor(0, 45, 0)) {
            List<Product> got = new ArrayList<>();
            int pages = 1;
            for (int page = 1; page <= pages; page++) {
                HttpResponse<byte[]> r = http.send(get(v.baseUrl() + "/catalogue.xml?page=" + page).build(), HttpResponse.BodyHandlers.ofByteArray());
                assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/xml"));
                Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(new ByteArrayInputStream(r.body()));
                pages = Integer.parseInt(doc.getDocumentElement().getAttribute("pages"));
                NodeList items = doc.getElementsByTagName("item");
                for (int i = 0; i < items.getLength(); i++) {
                    Element item = (Element) items.item(i);
                    got.add(new Product(item.getAttribute("code"), item.getElementsByTagName("name").item(0).getTextContent(),
                            new BigDecimal(item.getElementsByTagName("price").item(0).getTextContent()), Integer.parseInt(item.getAttribute("stock"))));
                }
            }
            assertEquals(3, pages);
            assertEquals(v.expectedProducts(), got);
            assertAwkward(got);

            String order = "{\"code\":\"X-004\",\"qty\":1,\"ref\":\"ord-5\"}";
            HttpResponse<String> r = send(post(v.baseUrl() + "/orders", order));
            assertEquals(200, r.statusCode());
            assertEquals("<reservation id=\"R-1\" status=\"ok\"/>", r.body());
            assertTrue(r.headers().firstValue("Content-Type").orElseThrow().startsWith("application/xml"));
            assertEquals(order, v.orders().get(0).body());
        }
    }

    @Test
    void retryAfterAndEarlyRequests() throws Exception {
        try (XmlCatalogueVendor v = new XmlCatalogueVendor(0, 5, 0)) {
            String url = v.baseUrl() + "/catalogue.xml";
            v.throttleEvery(2, "1");
            assertEquals(200, send(get(url)).statusCode());
            HttpResponse<String> throttled = send(get(url));
            assertEquals(429, throttled.statusCode());
            assertEquals("1", throttled.headers().firstValue("Retry-After").orElseThrow());
            assertEquals(200, send(post(v.baseUrl() + "/orders", "{\"code\":\"X-001\",\"qty\":1,\"ref\":\"o\"}")).statusCode());
            assertEquals(1, v.earlyRequests(), "the order came at once");
            long askedAt = System.nanoTime();
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(3))
                    .until(() -> System.nanoTime() - askedAt > 1_100_000_000L); // past the second the 429 asked for
            assertEquals(429, send(get(url)).statusCode());
            assertEquals(1, v.earlyRequests(), "this one waited");
            assertEquals(2, v.throttled());

            v.throttleEvery(1, "date:1");
            HttpResponse<String> dated = send(get(url));
            assertEquals(429, dated.statusCode());
            Instant until = Instant.from(VendorHttp.HTTP_DATE.parse(dated.headers().firstValue("Retry-After").orElseThrow()));
            long ahead = until.toEpochMilli() - System.currentTimeMillis();
            assertTrue(ahead > 900 && ahead <= 2000, "ahead " + ahead);
            assertEquals(2, v.earlyRequests(), "within the second asked by the 429 before");
            v.throttleEvery(0, null);
            assertEquals(200, send(get(url)).statusCode());
            assertEquals(3, v.earlyRequests(), "before the date");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(4))
                    .until(() -> System.currentTimeMillis() > until.toEpochMilli() + 50); // past the date it named
            assertEquals(200, send(get(url)).statusCode());
            assertEquals(3, v.earlyRequests(), "after the date");
            assertEquals(6, v.catalogRequests().size());
            assertEquals(429, v.catalogRequests().get(1).status());
            assertNull(v.catalogRequests().get(0).headers().get("Authorization"));
        }
    }

    /** The catalogue has the awkward names the styles must carry through. */
    private static void assertAwkward(List<Product> got) {
        for (String s : List.of(",", "\"", "Crème brûlée", "🍮", "&", "<", ";", "\\", "/")) {
            assertTrue(got.stream().anyMatch(p -> p.name().contains(s)), s);
        }
        assertFalse(got.stream().anyMatch(p -> p.stock() < 0));
    }

    /** RFC 4180 with ';': quoted fields, "" for a quote, CRLF rows. */
    private static List<List<String>> csv(String text) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < text.length() && text.charAt(i + 1) == '"') {
                    field.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ';') {
                row.add(field.toString());
                field.setLength(0);
            } else if (c == '\n') {
                row.add(field.toString());
                field.setLength(0);
                rows.add(row);
                row = new ArrayList<>();
            } else if (c != '\r') {
                field.append(c);
            }
        }
        return rows;
    }

    private static HttpRequest.Builder get(String url) {
        return HttpRequest.newBuilder(URI.create(url)).GET();
    }

    private static HttpRequest.Builder post(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    }

    private static HttpRequest.Builder put(String url, String body) {
        return HttpRequest.newBuilder(URI.create(url)).PUT(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    }

    private HttpResponse<String> send(HttpRequest.Builder b) throws IOException, InterruptedException {
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
