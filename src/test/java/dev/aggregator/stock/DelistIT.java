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

    @Override
    protected void settings(Properties p) {
        vendor = outsideVendor("shrinking", 5, 10);
        p.setProperty("VENDOR_URL_1", vendor.url());
        p.setProperty("VENDOR_POLL_PERIOD", "1s");
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
