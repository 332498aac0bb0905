package dev.aggregator.vendor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vendor files as people really write them: copied from the sample, without a routeId or with a wrong
 * one, broken, edited into a broken state while orders wait, or claiming a vendor another file or the
 * environment already has. A file that cannot be used is named with its error in /health and logged
 * once; whatever ran before keeps running.
 */
class VendorFileMistakesIT extends AggregatorTestSupport {

    private CountingVendor sample;
    private CountingVendor noId;
    private CountingVendor twinA;
    private CountingVendor twinB;
    private CountingVendor slow;
    private CountingVendor dupFirst;
    private CountingVendor dupSecond;
    private ListAppender<ILoggingEvent> log;

    @Override
    protected void settings(Properties p) {
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(VendorFiles.class)).addAppender(log);
        p.setProperty("DEMO_VENDORS", "false");
        p.setProperty("VENDOR_URL_1", outsideVendor("envvendor", 3, 20).url());
        sample = outsideVendor("samplevendor", 4, 20);
        noId = outsideVendor("noid", 5, 20);
        twinA = outsideVendor("twina", 6, 20);
        twinB = outsideVendor("twinb", 7, 20);
        slow = outsideVendor("slowvendor", 8, 2500);
        dupFirst = outsideVendor("dupvendor", 9, 20);
        dupSecond = outsideVendor("dupvendor", 10, 20);
    }

    @AfterAll
    void detachLog() {
        ((Logger) LoggerFactory.getLogger(VendorFiles.class)).detachAppender(log);
    }

    /** Written whole and moved in, as an editor saves: the scan never reads half a file. */
    private void write(String file, String yaml) throws Exception {
        Path tmp = Files.createTempFile(vendorFiles().getParent(), "vendor", ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, vendorFiles().resolve(file), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String vendorFile(String routeId, String vendor, String url, String extra) {
        return """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                %s    parameters:
                      - name: vendor
                        value: "%s"
                      - name: url
                        value: "%s"
                      - name: period
                        value: "1s"
                %s""".formatted(routeId == null ? "" : "    routeId: " + routeId + "\n", vendor, url, extra);
    }

    private JsonNode fileState(String file) throws Exception {
        return json(get("/health")).path("vendorFiles").path(file);
    }

    private int orderStatus(String vendor) throws Exception {
        return post("{\"id\":\"1\",\"vendor\":\"" + vendor + "\",\"quantity\":1}").statusCode();
    }

    /** The log lines that name the file. */
    private List<ILoggingEvent> linesAbout(String file) {
        return log.list.stream().filter(e -> e.getFormattedMessage().contains(file)).toList();
    }

    @Test
    void theSampleLoadsWithOnlyItsNameUrlAndPeriodChanged() throws Exception {
        String yaml = Files.readString(Path.of("routes", "vendor-example.yaml.sample"))
                .replace("vendorC", "samplevendor")
                .replaceAll("value: \"https://[^\"]*\"", "value: \"" + sample.url() + "\"")
                .replace("value: \"1m\"", "value: \"1s\"");
        assertThat(System.getenv("VENDOR_C_TOKEN")).isNull();
        write("samplevendor.yaml", yaml);
        await().atMost(Duration.ofSeconds(15)).until(() -> productCount("samplevendor") == 4);
        assertThat(fileState("samplevendor.yaml").path("status").asText()).isEqualTo("LOADED");
        JsonNode vendor = json(get("/health")).at("/vendors/samplevendor");
        assertThat(vendor.path("rateLimit").asDouble()).isEqualTo(20.0);
    }

    @Test
    void aRouteIdMissingOrNotMatchingTheVendorStillWorksAndNeverCollides() throws Exception {
        write("noid.yaml", vendorFile(null, "noid", noId.url(), ""));
        // Two files, one routeId (copied and not changed): two vendors all the same.
        write("twina.yaml", vendorFile("vendor-poller-vendorC", "twina", twinA.url(), ""));
        write("twinb.yaml", vendorFile("vendor-poller-vendorC", "twinb", twinB.url(), ""));
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            assertThat(productCount("noid")).isEqualTo(5);
            assertThat(productCount("twina")).isEqualTo(6);
            assertThat(productCount("twinb")).isEqualTo(7);
        });
        assertThat(context.getRoute("vendor-poller-twina")).isNotNull();
        assertThat(context.getRoute("vendor-poller-twinb")).isNotNull();

        // Deleting one stops that one only.
        Files.delete(vendorFiles().resolve("twina.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> orderStatus("twina") == 404);
        int polls = twinB.polls().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> twinB.polls().size() > polls);
        assertThat(orderStatus("twinb")).isEqualTo(202);
        assertThat(orderStatus("noid")).isEqualTo(202);
    }

    @Test
    void aFileThatCannotBeUsedIsNamedInHealthAndLoggedOnce() throws Exception {
        write("bad-yaml.yaml", "- templatedRoute:\n    routeTemplateRef: vendor-poller\n    parameters: [unclosed\n");
        write("bad-parameter.yaml", vendorFile(null, "badparam", sample.url(), """
                      - name: colour
                        value: red
                """));
        write("bad-placeholder.yaml", vendorFile(null, "badplaceholder", sample.url(), """
                      - name: token
                        value: "{{env:NO_SUCH_VENDOR_TOKEN_X}}"
                """));
        write("bad-url.yaml", vendorFile(null, "badurl", "vendor.example.com/products?key=sekret-77", ""));
        write("bad-rate.yaml", vendorFile(null, "badrate", sample.url(), """
                      - name: rateLimit
                        value: "fast"
                """));
        write("bad-period.yaml", vendorFile(null, "badperiod", sample.url(), "").replace("\"1s\"", "\"5 minutes\""));
        write("bad-name.yaml", vendorFile(null, "no spaces/here", sample.url(), ""));

        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertThat(fileState("bad-yaml.yaml").path("error").asText()).startsWith("not valid YAML: line ");
            assertThat(fileState("bad-parameter.yaml").path("error").asText()).contains("colour");
            assertThat(fileState("bad-placeholder.yaml").path("error").asText()).contains("NO_SUCH_VENDOR_TOKEN_X");
            assertThat(fileState("bad-url.yaml").path("error").asText()).contains("http").doesNotContain("sekret-77");
            assertThat(fileState("bad-rate.yaml").path("error").asText()).contains("rateLimit").contains("fast");
            assertThat(fileState("bad-period.yaml").path("error").asText()).contains("period").contains("5 minutes");
            assertThat(fileState("bad-name.yaml").path("error").asText()).contains("vendor");
        });
        var health = get("/health");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(json(health).path("status").asText()).isEqualTo("UP");
        assertThat(json(get("/ops/overview")).path("vendorFiles").path("bad-url.yaml").path("status").asText()).isEqualTo("FAILED");
        for (String vendor : List.of("badparam", "badplaceholder", "badurl", "badrate", "badperiod")) {
            assertThat(json(health).path("vendors").has(vendor)).as(vendor).isFalse();
            assertThat(orderStatus(vendor)).as(vendor).isEqualTo(404);
        }

        // Several scans later: one line per file, an error, never "loaded"; no secret in any.
        org.apache.camel.builder.NotifyBuilder scans = new org.apache.camel.builder.NotifyBuilder(context)
                .fromRoute("vendor-files").whenDone(4).create();
        assertThat(scans.matches(10, java.util.concurrent.TimeUnit.SECONDS)).as("four more scans, to see they say nothing more").isTrue();
        for (String file : List.of("bad-yaml.yaml", "bad-parameter.yaml", "bad-placeholder.yaml", "bad-url.yaml",
                "bad-rate.yaml", "bad-period.yaml", "bad-name.yaml")) {
            assertThat(linesAbout(file)).as(file).singleElement().satisfies(e -> {
                assertThat(e.getLevel().isGreaterOrEqual(Level.WARN)).isTrue();
                assertThat(e.getFormattedMessage()).doesNotContain("loaded").doesNotContain("sekret-77");
            });
        }

        // Fixed: loaded, and its error gone.
        write("bad-rate.yaml", vendorFile(null, "badrate", sample.url(), ""));
        await().atMost(Duration.ofSeconds(10)).until(() -> "LOADED".equals(fileState("bad-rate.yaml").path("status").asText()));
        assertThat(fileState("bad-rate.yaml").has("error")).isFalse();
        // Deleted: no longer named.
        Files.delete(vendorFiles().resolve("bad-yaml.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fileState("bad-yaml.yaml").isMissingNode());
    }

    @Test
    void aBrokenEditLeavesThePreviousVersionRunning() throws Exception {
        // One PUT at a time, 2.5 s each: the later orders wait in the vendor's lane queue.
        String good = vendorFile(null, "slowvendor", slow.url(), """
                      - name: concurrency
                        value: "1"
                """);
        write("slowvendor.yaml", good);
        await().atMost(Duration.ofSeconds(15)).until(() -> productCount("slowvendor") == 8);
        List<String> orders = List.of(order("slowvendor", 1), order("slowvendor", 2), order("slowvendor", 3));

        write("slowvendor.yaml", good.replace(slow.url(), "slow.example.com/slowvendor/products"));
        await().atMost(Duration.ofSeconds(30)).until(() -> finished(orders) == orders.size());
        assertThat(synced(orders)).isEqualTo(orders.size());
        assertThat(slow.putsByKey()).containsKeys(orders.toArray(new String[0]));
        JsonNode state = fileState("slowvendor.yaml");
        assertThat(state.path("status").asText()).isEqualTo("FAILED");
        assertThat(state.path("error").asText()).contains("http");
        assertThat(state.path("previousVersionRunning").asBoolean()).isTrue();
        assertThat(json(get("/health")).path("vendors").has("slowvendor")).isTrue();

        // Fixed again: the new version replaces the old one.
        write("slowvendor.yaml", good.replace("\"1s\"", "\"2s\""));
        await().atMost(Duration.ofSeconds(10)).until(() -> "LOADED".equals(fileState("slowvendor.yaml").path("status").asText()));
        VendorRegistry registry = context.getRegistry().lookupByNameAndType("vendorRegistry", VendorRegistry.class);
        assertThat(registry.find("slowvendor")).hasValueSatisfying(v -> assertThat(v.pollPeriodMillis()).isEqualTo(2000L));
    }

    @Test
    void twoFilesNeverClaimOneVendor() throws Exception {
        await().atMost(Duration.ofSeconds(15)).until(() -> productCount("envvendor") == 3);
        write("dup-first.yaml", vendorFile("vendor-poller-dupvendor", "dupvendor", dupFirst.url(), ""));
        await().atMost(Duration.ofSeconds(15)).until(() -> productCount("dupvendor") == 9);

        // The same vendor (and route id) in a second file: refused, the first keeps running.
        write("dup-second.yaml", vendorFile("vendor-poller-dupvendor", "dupvendor", dupSecond.url(), ""));
        // The environment's vendor in a file: refused.
        write("env-clash.yaml", vendorFile(null, "envvendor", dupSecond.url(), ""));
        // Polled every second: three seconds of the first alone say the second never replaced it.
        int before = dupFirst.polls().size();
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> dupSecond.polls().isEmpty());
        assertThat(dupFirst.polls().size()).isGreaterThan(before + 1);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().untilAsserted(() -> {
            assertThat(fileState("dup-second.yaml").path("error").asText()).contains("dupvendor").contains("dup-first.yaml");
            assertThat(fileState("env-clash.yaml").path("error").asText()).contains("envvendor").contains("environment");
        });
        assertThat(fileState("dup-first.yaml").path("status").asText()).isEqualTo("LOADED");
        assertThat(dupSecond.polls()).isEmpty();
        assertThat(productCount("dupvendor")).isEqualTo(9);
        assertThat(productCount("envvendor")).isEqualTo(3);

        // Deleting the refused file leaves the first running.
        Files.delete(vendorFiles().resolve("dup-second.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> fileState("dup-second.yaml").isMissingNode());
        int polls = dupFirst.polls().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> dupFirst.polls().size() > polls + 1);
        assertThat(orderStatus("dupvendor")).isEqualTo(202);

        // Deleting the first stops only the first.
        Files.delete(vendorFiles().resolve("dup-first.yaml"));
        await().atMost(Duration.ofSeconds(10)).until(() -> orderStatus("dupvendor") == 404);
        assertThat(orderStatus("envvendor")).isEqualTo(202);
        Files.delete(vendorFiles().resolve("env-clash.yaml"));
        assertThat(dupSecond.polls()).isEmpty();
        assertThat(json(get("/health")).at("/vendors/envvendor").isMissingNode()).isFalse();
    }
}
