package dev.aggregator.vendor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;
import testvendors.GuardedVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A vendor file added to, changed in and deleted from the vendor folder (routes/) while the service runs:
 * polled within seconds, its new settings applied, its polling stopped, all without a restart.
 */
class VendorFilesIT extends AggregatorTestSupport {

    private CountingVendor first;
    private GuardedVendor second;

    @Override
    protected void settings(Properties p) {
        p.setProperty("DEMO_VENDORS", "false");
        first = outsideVendor("filevendor", 12, 20);
        try {
            second = new GuardedVendor("filevendor", 30, 50).requireBearer("file-token-42");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        // One vendor from the environment, so the service has one before any file is there.
        p.setProperty("VENDOR_URL_1", outsideVendor("envvendor", 3, 20).url());
    }

    @org.junit.jupiter.api.AfterAll
    void closeSecond() {
        second.close();
    }

    private Path file() {
        return vendorFiles().resolve("filevendor.yaml");
    }

    private void write(String url, String period, String extra) throws Exception {
        String yaml = """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                    routeId: vendor-poller-filevendor
                    parameters:
                      - name: vendor
                        value: filevendor
                      - name: url
                        value: "%s"
                      - name: period
                        value: "%s"
                %s""".formatted(url, period, extra);
        // written whole and moved in, as an editor saves: the scan never reads half a file
        Path tmp = Files.createTempFile(vendorFiles().getParent(), "vendor", ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, file(), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    @Test
    void aVendorFileIsAppliedWhenAddedChangedAndDeleted() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("envvendor") == 3);
        assertThat(post("{\"id\":\"1\",\"vendor\":\"filevendor\",\"quantity\":1}").statusCode()).isEqualTo(404);

        // Added: polled within 10 s, and orders go to it through a lane made for it.
        write(first.url(), "1s", "");
        await().atMost(Duration.ofSeconds(10)).until(() -> productCount("filevendor") == 12);
        var placed = post("{\"id\":\"2\",\"vendor\":\"filevendor\",\"quantity\":1}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        awaitStatus(json(placed).get("orderId").asText(), "SYNCED");
        assertThat(first.putsByKey()).containsKey(json(placed).get("orderId").asText());

        // Changed: another URL that wants a token, and the lane's own rate limit.
        write(second.url(), "1s", """
                      - name: token
                        value: "file-token-42"
                      - name: rateLimit
                        value: "7"
                """);
        await().atMost(Duration.ofSeconds(10)).until(() -> productCount("filevendor") == 30);
        assertThat(second.seen("GET")).isNotEmpty().allSatisfy(s -> assertThat(s.status()).isEqualTo(200));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(json(get("/health")).at("/vendors/filevendor/rateLimit").asDouble()).isEqualTo(7.0));
        var again = post("{\"id\":\"20\",\"vendor\":\"filevendor\",\"quantity\":1}");
        assertThat(again.statusCode()).as(again.body()).isEqualTo(202);
        awaitStatus(json(again).get("orderId").asText(), "SYNCED");
        assertThat(second.seen("PUT")).singleElement().satisfies(s -> {
            assertThat(s.path()).isEqualTo("/filevendor/products/20");
            assertThat(s.headers()).containsEntry("authorization", "Bearer file-token-42");
        });

        // Deleted: polling stops, its products stay as last fetched, new orders to it get 404.
        int polledBefore = first.polls().size();
        Files.delete(file());
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                assertThat(post("{\"id\":\"3\",\"vendor\":\"filevendor\",\"quantity\":1}").statusCode()).isEqualTo(404));
        int getsAfterDelete = second.seen("GET").size();
        // Polled every second while the file was there: three quiet seconds say the trigger is gone.
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                .until(() -> second.seen("GET").size() == getsAfterDelete);
        assertThat(first.polls()).hasSize(polledBefore);
        assertThat(productCount("filevendor")).isEqualTo(30);
        JsonNode products = json(get("/products?vendor=filevendor&limit=1"));
        assertThat(products.get("total").asInt()).isEqualTo(30);
        // The environment's vendor was never touched.
        assertThat(productCount("envvendor")).isEqualTo(3);
    }
}
