package dev.aggregator.stock;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import testvendors.ConditionalVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 25, items 2–4: conditional polls against vendors that answer 304 as web frameworks do. A 304 is a
 * poll of an unchanged catalogue, never a reason to keep a product the vendor dropped; a page's ETag says
 * nothing about the next page; validators belong to the URL they were answered for.
 */
class ConditionalPollIT extends AggregatorTestSupport {

    private ConditionalVendor single;
    private ConditionalVendor paged;
    private ConditionalVendor before;
    private ConditionalVendor after;

    @Override
    protected void settings(Properties p) {
        try {
            single = new ConditionalVendor("single", 10, false, Instant.now());
            paged = new ConditionalVendor("paged", 45, true, Instant.now());
            // Last-Modified only; the second catalogue is older than the first, as another vendor's can be
            before = new ConditionalVendor("before", 5, false, Instant.now()).withoutEtags();
            after = new ConditionalVendor("after", 8, false, Instant.now().minus(Duration.ofDays(1))).withoutEtags();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.setProperty("DEMO_VENDORS", "false");
        p.setProperty("VENDOR_URL_1", single.url());
        p.setProperty("VENDOR_URL_2", paged.url());
        p.setProperty("VENDOR_POLL_PERIOD", "500ms");
    }

    @AfterAll
    void closeVendors() {
        List.of(single, paged, before, after).forEach(ConditionalVendor::close);
    }

    /** Item 3: one 200 without the product, then only 304s: the product is delisted, its order refused. */
    @Test
    void aProductDroppedBeforeA304IsDelisted() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("single") == 10);
        await().atMost(Duration.ofSeconds(10)).until(() -> single.seen().stream().anyMatch(s -> s.status() == 304));
        single.remove("10");
        await().atMost(Duration.ofSeconds(15)).until(() -> product("single", "10").has("delistedAt"));
        assertThat(product("single", "10").get("stock").asInt()).isZero();
        assertThat(product("single", "9").has("delistedAt")).isFalse();
        assertThat(post("{\"id\":\"10\",\"vendor\":\"single\",\"quantity\":1}").statusCode()).isEqualTo(409);
        int seen = single.seen().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> single.seen().size() > seen + 1);
        assertThat(single.seen().get(single.seen().size() - 1).status()).as("unchanged since: 304").isEqualTo(304);
    }

    /** Item 4: per-page ETags (45 products, 3 pages): a change on page 2 is seen; no page is asked conditionally. */
    @Test
    void aChangeBeyondPageOneIsSeen() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("paged") == 45);
        await().atMost(Duration.ofSeconds(10)).until(() -> paged.seen().size() >= 9); // three polls or more
        paged.stock("40", 0);
        await().atMost(Duration.ofSeconds(15)).until(() -> product("paged", "40").get("stock").asInt() == 0);
        assertThat(post("{\"id\":\"40\",\"vendor\":\"paged\",\"quantity\":1}").statusCode()).isEqualTo(409);
        assertThat(paged.seen()).allSatisfy(s -> {
            assertThat(s.ifNoneMatch()).isNull();
            assertThat(s.status()).isEqualTo(200);
        });
    }

    /** Item 2: a vendor file repointed from one vendor to another sends the second none of the first's validators. */
    @Test
    void aRepointedVendorGetsNoneOfTheOldValidators() throws Exception {
        Files.writeString(vendorFiles().resolve("moving.yaml"), file(before.url()));
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("moving") == 5);
        await().atMost(Duration.ofSeconds(10)).until(() -> before.seen().stream().anyMatch(s -> s.status() == 304));
        Files.writeString(vendorFiles().resolve("moving.yaml"), file(after.url()));
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("moving") == 8);
        assertThat(after.seen().get(0).ifModifiedSince()).as("the first request to the new URL").isNull();
        assertThat(after.seen().get(0).status()).isEqualTo(200);
    }

    private static String file(String url) {
        return """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                    parameters:
                      - {name: vendor, value: moving}
                      - {name: url, value: "%s"}
                      - {name: period, value: 500ms}
                """.formatted(url);
    }

    private JsonNode product(String vendor, String id) throws Exception {
        for (JsonNode p : json(get("/products?vendor=" + vendor + "&limit=100")).get("products")) {
            if (p.get("id").asText().equals(id)) {
                return p;
            }
        }
        throw new AssertionError("no product " + id + " of " + vendor);
    }
}
