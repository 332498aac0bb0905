package dev.aggregator.stock;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, defect 7: a product that disappears from its vendor's complete listing can no longer be
 * ordered (stock 0, delistedAt in GET /products); a later listing brings it back.
 */
class DelistIT extends AggregatorTestSupport {

    private CountingVendor vendor;
    private CountingVendor backlog;
    private CountingVendor leaving;

    @Override
    protected void settings(Properties p) {
        vendor = outsideVendor("shrinking", 5, 10);
        backlog = outsideVendor("backlog", 6, 10);
        leaving = outsideVendor("leaving", 4, 10);
        p.setProperty("VENDOR_URL_1", vendor.url());
        p.setProperty("VENDOR_URL_2", backlog.url());
        p.setProperty("VENDOR_POLL_PERIOD", "1s");
    }

    /**
     * Issue 25, item 7: polls go on while their upserts wait in sync_from_external (the consumer stopped): no
     * listed product is delisted for it, since no poll is applied; once the upserts land, all are listed still.
     */
    @Test
    void productsWaitingInTheQueueAreNotDelisted() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("backlog") == 6);
        context.getRouteController().stopRoute("stock-upsert");
        try {
            int polls = backlog.polls().size();
            await().atMost(Duration.ofSeconds(20)).until(() -> backlog.polls().size() >= polls + 3);
            assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor = 'backlog' AND delisted_at IS NULL AND vendor_stock > 0",
                    Integer.class)).as("listed while three polls wait in the queue").isEqualTo(6);
        } finally {
            context.getRouteController().startRoute("stock-upsert");
        }
        int polls = backlog.polls().size();
        await().atMost(Duration.ofSeconds(20)).until(() -> backlog.polls().size() >= polls + 2);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor = 'backlog' AND delisted_at IS NULL AND vendor_stock > 0",
                Integer.class)).isEqualTo(6);
    }

    /** Issue 25, item 8: a vendor removed (its file deleted) leaves no stock to see: its products are delisted. */
    @Test
    void aRemovedVendorsProductsHaveNoStock() throws Exception {
        java.nio.file.Path file = vendorFiles().resolve("leaving.yaml");
        java.nio.file.Files.writeString(file, """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                    parameters:
                      - {name: vendor, value: leaving}
                      - {name: url, value: "%s"}
                """.formatted(leaving.url()));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("leaving") == 4);
        java.nio.file.Files.delete(file);
        await().atMost(Duration.ofSeconds(20)).until(() -> jdbc().queryForObject(
                "SELECT count(*) FROM products WHERE vendor = 'leaving' AND delisted_at IS NOT NULL AND vendor_stock = 0", Integer.class) == 4);
        assertThat(post("{\"id\":\"1\",\"vendor\":\"leaving\",\"quantity\":1}").statusCode()).isEqualTo(404);
        assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor IN ('shrinking', 'backlog') AND vendor_stock > 0",
                Integer.class)).as("the others keep theirs").isPositive();
    }


    @Test
    void aProductTheVendorStoppedListingCannotBeOrderedUntilItIsListedAgain() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shrinking") == 5);
        vendor.products(3);
        await().atMost(Duration.ofSeconds(15)).until(() -> product("5").has("delistedAt"));
        JsonNode gone = product("5");
        assertThat(gone.get("stock").asInt()).isZero();
        assertThat(product("3").has("delistedAt")).isFalse();
        assertThat(product("3").get("stock").asInt()).isPositive();
        HttpResponse<String> refused = post("{\"id\":\"5\",\"vendor\":\"shrinking\",\"quantity\":1}");
        assertThat(refused.statusCode()).isEqualTo(409);

        vendor.products(5);
        await().atMost(Duration.ofSeconds(15)).until(() -> !product("5").has("delistedAt") && product("5").get("stock").asInt() > 0);
        assertThat(post("{\"id\":\"5\",\"vendor\":\"shrinking\",\"quantity\":1}").statusCode()).isEqualTo(202);
    }

    private JsonNode product(String id) throws Exception {
        for (JsonNode p : json(get("/products?vendor=shrinking")).get("products")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no product " + id);
    }
}
