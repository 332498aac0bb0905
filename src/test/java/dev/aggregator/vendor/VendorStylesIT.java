package dev.aggregator.vendor;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import testvendors.CsvFeedVendor;
import testvendors.CursorApiVendor;
import testvendors.DepotVendor;
import testvendors.ShopifyStyleVendor;
import testvendors.StyledVendor;
import testvendors.WooStyleVendor;
import testvendors.XmlCatalogueVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 24: vendors whose APIs look like real ones, each an HTTP server of its own, added by a vendor file
 * in routes/ alone while the service runs: Link-header paging with products nested in variants (a Shopify
 * style store), page numbers with a total-pages header and a bare array behind Basic auth (WooCommerce
 * style), a cursor in the body with prices in cents, a gzip CSV feed with a ';' delimiter, an XML
 * catalogue. For each: every product stored with its exact id, name, price and stock, and an order
 * delivered as exactly the request that vendor expects, its reference stored and shown.
 */
class VendorStylesIT extends AggregatorTestSupport {

    private ShopifyStyleVendor shopify;
    private WooStyleVendor woo;
    private CursorApiVendor cursor;
    private CsvFeedVendor csv;
    private XmlCatalogueVendor xml;
    private DepotVendor depot;

    @Override
    protected void settings(Properties p) {
        try {
            shopify = new ShopifyStyleVendor(0, 45, 20, "shpat_secret");
            woo = new WooStyleVendor(0, 33, 20, "ck_user", "cs_pass");
            cursor = new CursorApiVendor(0, 57, 20, "cur-token");
            csv = new CsvFeedVendor(0, 40, 20);
            xml = new XmlCatalogueVendor(0, 47, 20);
            depot = new DepotVendor(0, 38, 20, "depot-key");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.setProperty("DEMO_VENDORS", "false");
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("VENDOR_POLL_PERIOD", "2s");
        p.setProperty("ADMIN_TOKEN", "t");
        p.setProperty("DEPOT_KEY", "depot-key");
    }

    @AfterAll
    void closeVendors() {
        for (StyledVendor v : List.of(shopify, woo, cursor, csv, xml, depot)) {
            v.close();
        }
    }

    @Test
    void aShopifyStyleStorePagedByLinkHeaderWithVariants() throws Exception {
        // every 4th request answered 429 with Retry-After: 1 (item 5): the poll waits, then asks for the same page
        shopify.throttleEvery(4, "1");
        file("shopify", """
                - {name: url, value: "%s/admin/api/products.json"}
                - {name: headers, value: "X-Shopify-Access-Token: shpat_secret"}
                - {name: paging, value: link}
                - {name: pageSize, value: "10"}
                - {name: records, value: '.products[] | . as $p | .variants[] | . + {product_title: $p.title}'}
                - {name: id, value: .id}
                - {name: name, value: '"\\(.product_title) - \\(.title)"'}
                - {name: price, value: .price}
                - {name: stock, value: .inventory_quantity}
                - {name: orderMethod, value: POST}
                - {name: orderUrl, value: '"/admin/api/orders.json"'}
                - {name: orderBody, value: '{order: {line_items: [{variant_id: (.productId | tonumber), quantity: .quantity}], note: .orderId}}'}
                - {name: orderRef, value: .order.name}
                """.formatted(shopify.baseUrl()));
        catalogue("shopify", shopify);
        shopify.throttleEvery(0, null);
        assertThat(shopify.throttled()).as("429s sent").isPositive();
        assertThat(shopify.earlyRequests()).as("requests before the Retry-After ended").isZero();
        StyledVendor.Product p = shopify.expectedProducts().get(4);
        JsonNode order = deliver("shopify", p, shopify, r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.pathAndQuery()).isEqualTo("/admin/api/orders.json");
            assertThat(r.headers().get("X-Shopify-Access-Token")).isEqualTo("shpat_secret");
        });
        assertThat(order.get("vendorRef").asText()).startsWith("#");
        JsonNode sent = JSON.readTree(shopify.orders().get(shopify.orders().size() - 1).body());
        assertThat(sent.at("/order/line_items/0/variant_id").asLong()).isEqualTo(Long.parseLong(p.id()));
        assertThat(sent.at("/order/line_items/0/quantity").asInt()).isEqualTo(1);
        assertThat(sent.at("/order/note").asText()).isEqualTo(order.get("orderId").asText());
    }

    @Test
    void aWooCommerceStyleShopPagedByNumberWithATotalPagesHeader() throws Exception {
        file("woo", """
                - {name: url, value: "http://ck_user:cs_pass@%s/wp-json/wc/v3/products"}
                - {name: paging, value: page}
                - {name: pageParam, value: page}
                - {name: limitParam, value: per_page}
                - {name: pageSize, value: "7"}
                - {name: totalPagesHeader, value: X-WP-TotalPages}
                - {name: records, value: '.[]'}
                - {name: stock, value: .stock_quantity}
                - {name: orderMethod, value: POST}
                - {name: orderUrl, value: '"/wp-json/wc/v3/orders"'}
                - {name: orderBody, value: '{line_items: [{product_id: (.productId | tonumber), quantity: .quantity}], customer_note: .orderId}'}
                - {name: orderAccepted, value: "201"}
                - {name: orderRef, value: .number}
                """.formatted(woo.baseUrl().substring("http://".length())));
        catalogue("woo", woo);
        JsonNode order = deliver("woo", woo.expectedProducts().get(3), woo, r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.pathAndQuery()).isEqualTo("/wp-json/wc/v3/orders");
            assertThat(r.headers().get("Authorization")).startsWith("Basic ");
        });
        assertThat(order.get("vendorRef").asText()).matches("\\d+");
    }

    @Test
    void aCursorApiWithPricesInCents() throws Exception {
        file("cursorapi", """
                - {name: url, value: "%s/v1/catalog/items"}
                - {name: token, value: cur-token}
                - {name: paging, value: cursor}
                - {name: pageSize, value: "20"}
                - {name: cursorField, value: .meta.next_cursor}
                - {name: records, value: '.data.items[]'}
                - {name: id, value: .sku}
                - {name: name, value: .label}
                - {name: price, value: '.price_cents / 100'}
                - {name: stock, value: .available}
                - {name: orderUrl, value: '"/v1/orders/\\(.orderId)"'}
                - {name: orderBody, value: '{sku: .productId, qty: .quantity}'}
                - {name: orderRef, value: .order_ref}
                """.formatted(cursor.baseUrl()));
        catalogue("cursorapi", cursor);
        // the stored raw record is the vendor's, as it came (not our mapped fields around it)
        StyledVendor.Product sample = cursor.expectedProducts().get(3);
        assertThat(jdbc().queryForObject("SELECT raw::text FROM products WHERE vendor = 'cursorapi' AND product_id = ?", String.class, sample.id()))
                .contains("\"sku\"", "\"price_cents\"").doesNotContain("\"record\"");
        JsonNode order = deliver("cursorapi", cursor.expectedProducts().get(7), cursor, r -> {
            assertThat(r.method()).isEqualTo("PUT");
            assertThat(r.headers().get("Authorization")).isEqualTo("Bearer cur-token");
        });
        assertThat(cursor.orders().get(cursor.orders().size() - 1).pathAndQuery()).isEqualTo("/v1/orders/" + order.get("orderId").asText());
        assertThat(order.get("vendorRef").asText()).startsWith("CUR-ORD-");

        // a refusal that names the vendor's reference (it has the order already): kept on the FAILED order and its dead letter
        cursor.ordersFail(409, "{\"error\":\"duplicate order\",\"order_ref\":\"CUR-ORD-77\"}");
        try {
            var r = post("{\"id\":\"" + cursor.expectedProducts().get(8).id() + "\",\"vendor\":\"cursorapi\",\"quantity\":1}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            String id = json(r).get("orderId").asText();
            JsonNode failed = awaitStatus(id, "FAILED", Duration.ofSeconds(20));
            assertThat(failed.get("vendorRef").asText()).isEqualTo("CUR-ORD-77");
            org.springframework.amqp.core.Message letter = await().atMost(Duration.ofSeconds(10)).until(() -> {
                org.springframework.amqp.core.Message m;
                while ((m = rabbit().receive("sync_to_external_dlq")) != null) {
                    if (id.equals(String.valueOf(m.getMessageProperties().getHeaders().get("x-order-id")))) {
                        return m;
                    }
                }
                return null;
            }, java.util.Objects::nonNull);
            assertThat(letter.getMessageProperties().getHeaders().get("x-vendor-ref")).isEqualTo("CUR-ORD-77");
        } finally {
            cursor.ordersFail(0);
        }
    }

    @Test
    void aGzipCsvFeedWithQuotedNames() throws Exception {
        file("csvfeed", """
                - {name: url, value: "%s/export/stock.csv"}
                - {name: format, value: csv}
                - {name: csvDelimiter, value: ";"}
                - {name: paging, value: none}
                - {name: name, value: .name}
                - {name: stock, value: .qty}
                - {name: orderMethod, value: POST}
                - {name: orderUrl, value: '"/orders"'}
                - {name: orderBody, value: '{sku: .productId, quantity: .quantity, reference: .orderId}'}
                - {name: orderRef, value: .ticket}
                """.formatted(csv.baseUrl()));
        catalogue("csvfeed", csv);
        assertThat(csv.catalogRequests().get(0).headers().getOrDefault("Accept-Encoding", "")).contains("gzip");
        JsonNode order = deliver("csvfeed", csv.expectedProducts().get(5), csv, r -> assertThat(r.pathAndQuery()).isEqualTo("/orders"));
        assertThat(order.get("vendorRef").asText()).startsWith("T-");
    }

    @Test
    void anXmlCatalogue() throws Exception {
        file("xmlcat", """
                - {name: url, value: "%s/catalogue.xml"}
                - {name: format, value: xml}
                - {name: paging, value: page}
                - {name: totalPagesField, value: .pages}
                - {name: records, value: '.item | if type == "array" then .[] else . end'}
                - {name: id, value: .code}
                - {name: name, value: .name}
                - {name: price, value: '.price[""]'}
                - {name: stock, value: .stock}
                - {name: orderMethod, value: POST}
                - {name: orderUrl, value: '"/orders"'}
                - {name: orderBody, value: '{code: .productId, qty: .quantity, ref: .orderId}'}
                - {name: orderRef, value: .id}
                """.formatted(xml.baseUrl()));
        catalogue("xmlcat", xml);
        JsonNode order = deliver("xmlcat", xml.expectedProducts().get(21), xml, r -> assertThat(r.pathAndQuery()).isEqualTo("/orders"));
        assertThat(order.get("vendorRef").asText()).startsWith("R-");
    }

    /**
     * Item 6, the escape hatch: a vendor no setting fits (a session before every call, a header-less pipe-separated
     * export, a 200 for a refused order), added by routes/vendor-own-route.yaml.sample copied with only its name and
     * address changed: its own YAML routes fetch the page and send the order, the service does the rest.
     */
    @Test
    void aVendorOfItsOwnServedByHandWrittenYamlRoutes() throws Exception {
        String sample = Files.readString(java.nio.file.Path.of("routes/vendor-own-route.yaml.sample"));
        assertThat(sample).contains("http://localhost:8093");
        Files.writeString(vendorFiles().resolve("depotone.yaml"), sample.replace("http://localhost:8093", depot.baseUrl())
                .replace("value: depot}", "value: depotone}"));
        catalogue("depotone", depot);
        JsonNode health = json(get("/health"));
        assertThat(health.at("/vendorFiles/depotone.yaml/status").asText()).isEqualTo("LOADED");
        assertThat(health.at("/vendorFiles/depotone.yaml/routes").toString()).isEqualTo("[\"depot-session\",\"depot-page\",\"depot-order\"]");
        assertThat(depot.logins()).as("a session opened per poll").isPositive();

        StyledVendor.Product p = depot.expectedProducts().stream().filter(x -> x.stock() > 1).findFirst().orElseThrow();
        JsonNode order = deliver("depotone", p, depot, r -> {
            assertThat(r.method()).isEqualTo("POST");
            assertThat(r.pathAndQuery()).isEqualTo("/api/purchase");
            assertThat(r.headers().get("X-Session")).startsWith("S-");
            assertThat(r.headers().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        });
        assertThat(depot.orders().get(depot.orders().size() - 1).body())
                .isEqualTo("sku=" + p.id() + "&qty=1&ref=" + order.get("orderId").asText());
        assertThat(order.get("vendorRef").asText()).matches("P-\\d+");

        // refused with a 200 "REJECTED …": the route says so with a status, and the order is FAILED with the reason, sent once
        StyledVendor.Product gone = depot.expectedProducts().stream().filter(x -> x.stock() > 1 && !x.id().equals(p.id())).findFirst().orElseThrow();
        depot.discontinue(gone.id());
        var r = post("{\"id\":\"" + gone.id() + "\",\"vendor\":\"depotone\",\"quantity\":1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        JsonNode failed = awaitStatus(json(r).get("orderId").asText(), "FAILED", Duration.ofSeconds(20));
        assertThat(failed.get("lastError").asText()).isEqualTo("vendor answered 422: REJECTED discontinued");
        assertThat(depot.orders().stream().filter(o -> o.body().contains("sku=" + gone.id() + "&")).count()).isEqualTo(1);

        // previewed by name, through its page route: the mapped products and the order's request
        var preview = send("GET", "/admin/vendors/depotone/preview", null, "Authorization", "Bearer t");
        assertThat(preview.statusCode()).as(preview.body()).isEqualTo(200);
        assertThat(json(preview).get("products")).hasSize(depot.expectedProducts().size());
        assertThat(json(preview).at("/order/note").asText()).contains("direct:depot-order");

        // a second file claiming the same route ids is refused, named in /health; the first keeps running
        Files.writeString(vendorFiles().resolve("depottwo.yaml"), sample.replace("http://localhost:8093", depot.baseUrl())
                .replace("value: depot}", "value: depottwo}"));
        JsonNode refused = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> json(get("/health")),
                h -> h.at("/vendorFiles/depottwo.yaml/status").asText().equals("FAILED"));
        assertThat(refused.at("/vendorFiles/depottwo.yaml/error").asText()).isEqualTo(
                "route id 'depot-session' is already taken by depotone.yaml; name the file's routes after its vendor");
        assertThat(refused.get("status").asText()).isEqualTo("UP");
        Files.delete(vendorFiles().resolve("depottwo.yaml"));

        // a pageRoute that no route of the file consumes is refused
        Files.writeString(vendorFiles().resolve("depotthree.yaml"), sample.replace("http://localhost:8093", depot.baseUrl())
                .replace("value: depot}", "value: depotthree}").replace("direct:depot-page\"}", "direct:nowhere\"}")
                .replace("depot-", "depot3-"));
        refused = await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> json(get("/health")),
                h -> h.at("/vendorFiles/depotthree.yaml/status").asText().equals("FAILED"));
        assertThat(refused.at("/vendorFiles/depotthree.yaml/error").asText()).startsWith(
                "pageRoute: 'direct:nowhere' is not the 'from' of any route in this file");
        Files.delete(vendorFiles().resolve("depotthree.yaml"));

        // a route that fails (the vendor refuses the key): the poll fails with the vendor's answer, named in /health
        Files.writeString(vendorFiles().resolve("depotbad.yaml"), sample.replace("http://localhost:8093", depot.baseUrl())
                .replace("value: depot}", "value: depotbad}").replace("depot-", "depotbad-").replace("{{DEPOT_KEY:}}", "wrong"));
        JsonNode failing = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> json(get("/health")),
                h -> h.at("/vendors/depotbad/poll/lastError").asText().contains("403"));
        assertThat(failing.at("/vendorFiles/depotbad.yaml/status").asText()).isEqualTo("LOADED");
        assertThat(productCount("depotbad")).isZero();
        Files.delete(vendorFiles().resolve("depotbad.yaml"));

        // deleted: the vendor and its own routes are gone
        Files.delete(vendorFiles().resolve("depotone.yaml"));
        await().atMost(Duration.ofSeconds(20)).until(() -> context.getRoute("depot-page") == null && context.getRoute("depot-order") == null
                && context.getRoute("vendor-poller-depotone") == null);
    }

    /**
     * Item 8: a vendor file's YAML previewed before it is saved: the first page as mapped products, a bad
     * field's records with their reasons, the sample order's request with the token masked; nothing stored,
     * nothing sent to the order endpoint.
     */
    @Test
    void aVendorFileIsPreviewedBeforeItIsSaved() throws Exception {
        String good = yaml("preview", """
                - {name: url, value: "%s/v1/catalog/items"}
                - {name: token, value: cur-token}
                - {name: paging, value: cursor}
                - {name: pageSize, value: "20"}
                - {name: cursorField, value: .meta.next_cursor}
                - {name: records, value: '.data.items[]'}
                - {name: id, value: .sku}
                - {name: name, value: .label}
                - {name: price, value: '.price_cents / 100'}
                - {name: stock, value: .available}
                - {name: orderUrl, value: '"/v1/orders/\\(.orderId)"'}
                - {name: orderBody, value: '{sku: .productId, qty: .quantity}'}
                """.formatted(cursor.baseUrl()));
        int ordersBefore = cursor.orders().size();
        var r = send("POST", "/admin/vendors/preview", good, "Authorization", "Bearer t", "Content-Type", "application/yaml");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode preview = json(r);
        assertThat(preview.get("products")).hasSize(20);
        StyledVendor.Product first = cursor.expectedProducts().get(0);
        assertThat(preview.at("/products/0/id").asText()).isEqualTo(first.id());
        assertThat(preview.at("/products/0/name").asText()).isEqualTo(first.name());
        assertThat(preview.at("/products/0/price").decimalValue().compareTo(first.price())).isZero();
        assertThat(preview.get("rejected")).isEmpty();
        assertThat(preview.get("morePages").asBoolean()).isTrue();
        assertThat(preview.at("/order/method").asText()).isEqualTo("PUT");
        assertThat(preview.at("/order/url").asText()).isEqualTo(cursor.baseUrl() + "/v1/orders/00000000-0000-4000-8000-000000000000");
        assertThat(preview.at("/order/headers/Authorization").asText()).isEqualTo("Bearer ***");
        assertThat(JSON.readTree(preview.at("/order/body").asText()).get("sku").asText()).isEqualTo(first.id());
        assertThat(productCount("preview")).isZero();
        assertThat(cursor.orders()).hasSize(ordersBefore);

        // a field expression that fails on every record: each is rejected with its reason, none is a product
        String bad = good.replace("'.price_cents / 100'", "'.price_cents | ascii_downcase'");
        var badAnswer = send("POST", "/admin/vendors/preview", bad, "Authorization", "Bearer t", "Content-Type", "text/plain");
        assertThat(badAnswer.statusCode()).as(badAnswer.body()).isEqualTo(200);
        JsonNode badPreview = json(badAnswer);
        assertThat(badPreview.get("products")).isEmpty();
        assertThat(badPreview.get("rejected")).hasSize(20);
        assertThat(badPreview.at("/rejected/0/reason").asText()).startsWith("mapping failed: price:");
        assertThat(badPreview.at("/rejected/0/record/sku").asText()).isEqualTo(first.id());

        // a file that cannot be used, and a configured vendor by name
        var broken = send("POST", "/admin/vendors/preview", good.replace("'.data.items[]'", "'.data.items['"), "Authorization", "Bearer t",
                "Content-Type", "application/yaml");
        assertThat(broken.statusCode()).isEqualTo(400);
        assertThat(json(broken).get("detail").asText()).contains("records");
        assertThat(send("POST", "/admin/vendors/preview", good, "Content-Type", "application/yaml").statusCode()).isEqualTo(401);
        assertThat(send("GET", "/admin/vendors/nosuch/preview", null, "Authorization", "Bearer t").statusCode()).isEqualTo(404);
    }

    /** Item 7: a mapping that yields no product from the first page is named in /health; the service stays UP. */
    @Test
    void aMappingThatYieldsNoProductIsNamedInHealth() throws Exception {
        file("xmlwrong", """
                - {name: url, value: "%s/catalogue.xml"}
                - {name: format, value: xml}
                - {name: paging, value: page}
                - {name: records, value: '.item | if type == "array" then .[] else . end'}
                - {name: id, value: .code}
                - {name: price, value: .nosuchprice}
                """.formatted(xml.baseUrl()));
        JsonNode health = await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> json(get("/health")),
                h -> h.at("/vendors/xmlwrong/poll/lastError").asText().contains("the mapping yields no product from the first page"));
        assertThat(health.get("status").asText()).isEqualTo("UP");
        // DEMO_VENDORS=false and no VENDOR_URL_<n>: no demo vendor polled, none failing (issue 25, item 12)
        assertThat(health.get("vendors").has("vendorA") || health.get("vendors").has("vendorB")).as(health.toString()).isFalse();
        assertThat(health.at("/vendors/xmlwrong/poll/lastError").asText()).contains("product has no price");
        assertThat(health.at("/vendorFiles/xmlwrong.yaml/mappingError").asText())
                .startsWith("xmlwrong: the mapping yields no product from the first page").contains("product has no price");
        assertThat(productCount("xmlwrong")).isZero();
        Files.delete(vendorFiles().resolve("xmlwrong.yaml"));
    }

    private static String yaml(String vendor, String parameters) {
        String indented = parameters.lines().map(l -> "      " + l).reduce((a, b) -> a + "\n" + b).orElse("");
        return """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                    parameters:
                      - {name: vendor, value: %s}
                %s
                """.formatted(vendor, indented);
    }

    /** A vendor file of the vendor-poller template with these parameters (YAML list items) after its name. */
    private void file(String vendor, String parameters) throws Exception {
        String indented = parameters.lines().map(l -> "      " + l).reduce((a, b) -> a + "\n" + b).orElse("");
        Files.writeString(vendorFiles().resolve(vendor + ".yaml"), """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                    routeId: vendor-poller-%s
                    parameters:
                      - {name: vendor, value: %s}
                %s
                """.formatted(vendor, vendor, indented));
    }

    /** Waits for the catalogue, then compares every product with what the vendor lists. */
    private void catalogue(String vendor, StyledVendor v) {
        List<StyledVendor.Product> expected = v.expectedProducts();
        await().atMost(Duration.ofSeconds(40)).ignoreExceptions().until(() -> productCount(vendor) == expected.size());
        for (StyledVendor.Product p : expected) {
            Map<String, Object> row = jdbc().queryForMap("SELECT name, price, vendor_stock FROM products WHERE vendor = ? AND product_id = ?",
                    vendor, p.id());
            assertThat(row.get("name")).as(p.id()).isEqualTo(p.name());
            assertThat(((BigDecimal) row.get("price")).compareTo(p.price())).as(p.id() + " price " + row.get("price")).isZero();
            assertThat(((Number) row.get("vendor_stock")).intValue()).as(p.id()).isEqualTo(p.stock());
        }
        assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor = ?", Integer.class, vendor)).isEqualTo(expected.size());
    }

    /** Orders 1 unit of the product; the order ends SYNCED with the vendor's request checked; returns GET /orders/{id}. */
    private JsonNode deliver(String vendor, StyledVendor.Product product, StyledVendor v, Consumer<StyledVendor.Request> check)
            throws Exception {
        var r = post("{\"id\":" + JSON.writeValueAsString(product.id()) + ",\"vendor\":\"" + vendor + "\",\"quantity\":1}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        String id = json(r).get("orderId").asText();
        JsonNode order = awaitStatus(id, "SYNCED", Duration.ofSeconds(20));
        StyledVendor.Request request = v.orders().get(v.orders().size() - 1);
        assertThat(request.headers().get("Idempotency-Key")).isEqualTo(id);
        assertThat(request.status()).isBetween(200, 299);
        check.accept(request);
        return order;
    }
}
