package dev.aggregator.delivery;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.testsupport.AppProcess;
import dev.aggregator.testsupport.TcpForwarder;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, items 1 and 2, on the service as it runs (its own JVM): started while RabbitMQ is unreachable
 * (nothing listening, or the vhost refused) it stays up, says so in one line naming the address and
 * answers 503 with Retry-After; once the broker is there its lanes start, a vendor file added during the
 * outage included, and orders reach their vendors. It exited with AmqpConnectException from Lanes.start,
 * and a lane that failed to start was never tried again.
 */
class BrokerAtStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String database = TestServices.uniqueName("agg_nobroker");
    private final String vhost = TestServices.uniqueName("agg_nobroker");
    private AppProcess app;
    private CountingVendor early;
    private CountingVendor filed;
    private Path vendorFiles;

    @BeforeEach
    void services() throws Exception {
        TestServices.createDatabase(database);
        TestServices.createVhost(vhost);
        early = new CountingVendor(0, "early", 5, 20);
        filed = new CountingVendor(0, "filed", 5, 20);
        vendorFiles = Files.createTempDirectory("agg-nobroker-files");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null) {
            app.close();
        }
        early.close();
        filed.close();
        org.apache.camel.util.FileUtil.removeDir(vendorFiles.toFile());
        TestServices.dropDatabase(database);
        TestServices.deleteVhost(vhost);
    }

    private Map<String, String> env(String rabbitUri) {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        env.put("RABBITMQ_URI", rabbitUri);
        env.put("VENDOR_URL_1", early.url());
        env.put("VENDOR_POLL_PERIOD", "1s");
        env.put("AGGREGATOR_VENDORS_DIRECTORY", vendorFiles.toString());
        env.put("AGGREGATOR_VENDORS_SCAN_PERIOD_MS", "500");
        env.put("AGGREGATOR_CONNECTIVITY_CHECK_PERIOD", "1000");
        env.put("AGGREGATOR_DELIVERY_LANE_CHECK_MS", "1000");
        return env;
    }

    /** Up, 503 with Retry-After, one line naming the broker's address; still so after 12 s (it exited in ~10 s). */
    private void staysUpAndSaysSo(String address) throws Exception {
        HttpResponse<String> health = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> app.get("/health"), r -> r.statusCode() == 503 && r.body().contains("\"broker\""));
        assertThat(JSON.readTree(health.body()).at("/broker/status").asText()).isEqualTo("DOWN");
        assertThat(health.headers().firstValue("Retry-After")).hasValue("5");
        await().during(Duration.ofSeconds(12)).atMost(Duration.ofSeconds(13)).until(app::isAlive);
        String log = app.log();
        assertThat(log.lines().filter(l -> l.contains("RabbitMQ at " + address + " is unreachable")).count()).as(log).isEqualTo(1);
        assertThat(log).doesNotContain("Exception in thread").doesNotContain("\tat ");
    }

    /** Once the broker is reachable: UP, the vendors polled, and one order per vendor reaches its vendor once. */
    private void deliversOnceTheBrokerIsThere(CountingVendor... vendors) throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> app.get("/health").statusCode() == 200);
        for (CountingVendor v : vendors) {
            String name = v.url().replaceAll(".*/(\\w+)/products$", "$1");
            HttpResponse<String> order = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> app.post("/order", "{\"id\":\"2\",\"vendor\":\"" + name + "\",\"quantity\":1}"), r -> r.statusCode() == 202);
            String id = JSON.readTree(order.body()).get("orderId").asText();
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> JSON.readTree(app.get("/orders/" + id).body()).get("status").asText(), "SYNCED"::equals);
            assertThat(v.putsByKey().get(id).get()).isEqualTo(1);
        }
    }

    @Test
    void startedWithNothingListeningItWaitsForTheBroker() throws Exception {
        int port = TestServices.freePort();
        app = AppProcess.start("no-broker", env("amqp://guest:guest@127.0.0.1:" + port + "/" + vhost));
        staysUpAndSaysSo("127.0.0.1:" + port + " vhost " + vhost);
        try (TcpForwarder broker = TcpForwarder.open(port, 5672)) {
            deliversOnceTheBrokerIsThere(early);
        }
    }

    @Test
    void startedWithTheVhostRefusedItStartsEveryLaneOnceAllowedAVendorFileAddedMeanwhileToo() throws Exception {
        TestServices.rabbitmqctl("clear_permissions", "-p", vhost, "guest");
        app = AppProcess.start("vhost-refused", env(TestServices.amqpUri(vhost)));
        staysUpAndSaysSo("127.0.0.1:5672 vhost " + vhost);
        // A vendor file dropped in while the broker still refuses us: its lane cannot start yet.
        Files.writeString(vendorFiles.resolve("filed.yaml"), """
                - templatedRoute:
                    routeTemplateRef: vendor-poller
                    routeId: vendor-poller-filed
                    parameters:
                      - name: vendor
                        value: filed
                      - name: url
                        value: "%s"
                """.formatted(filed.url()));
        await().atMost(Duration.ofSeconds(20)).until(() -> app.log().contains("filed.yaml"));
        TestServices.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        deliversOnceTheBrokerIsThere(early, filed);
    }
}
