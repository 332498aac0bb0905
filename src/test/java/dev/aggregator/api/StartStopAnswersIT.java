package dev.aggregator.api;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.aggregator.testsupport.AppProcess;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault soak finding (bench/chaos.sh, an instance restarted): the HTTP server listens before the REST
 * routes are added and after they are removed, and answered POST /order 404 (an HTML page) then, which a
 * client takes for "no such thing", not "try again". While the service starts or stops, what no route
 * serves is 503 with Retry-After, as problem+json. Seen here in a graceful shut-down held open by an order
 * whose vendor call hangs (its routes' consumers stop at once, the in-flight PUT is waited for).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StartStopAnswersIT {

    private static final String ORDER = "{\"id\":\"1\",\"vendor\":\"slow\",\"quantity\":1}";
    private final String database = TestServices.uniqueName("agg_gate");
    private final String vhost = TestServices.uniqueName("agg_gate");
    private CountingVendor vendor;
    private AppProcess app;

    @BeforeAll
    void start() throws Exception {
        TestServices.createDatabase(database);
        TestServices.createVhost(vhost);
        vendor = new CountingVendor(0, "slow", 5, 0);
        Map<String, String> env = new HashMap<>();
        env.put("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        env.put("RABBITMQ_URI", TestServices.amqpUri(vhost));
        env.put("DEMO_VENDORS", "false");
        env.put("VENDOR_URL_1", vendor.url());
        env.put("VENDOR_POLL_PERIOD", "1h");
        app = AppProcess.start("gate", env).awaitHealthy(Duration.ofSeconds(90));
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", ""));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForObject("SELECT count(*) FROM products", Integer.class) == 5);
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
        if (vendor != null) {
            vendor.close();
        }
        TestServices.dropDatabase(database);
        TestServices.deleteVhost(vhost);
    }

    @Test
    void whileTheServiceStopsAnOrderIsAnswered503WithRetryAfterNever404() throws Exception {
        vendor.mode(CountingVendor.Mode.HANG);
        assertThat(app.post("/order", ORDER).statusCode()).isEqualTo(202);
        await().atMost(Duration.ofSeconds(20)).until(() -> !vendor.putTimes().isEmpty());

        app.signalTerm();
        List<HttpResponse<String>> answers = new ArrayList<>();
        // every answer until the process no longer accepts connections
        await().atMost(Duration.ofSeconds(40)).pollInterval(Duration.ofMillis(100)).until(() -> {
            try {
                answers.add(app.post("/order", ORDER));
                return false;
            } catch (IOException closed) {
                return true;
            }
        });
        List<HttpResponse<String>> refused = answers.stream().filter(r -> r.statusCode() != 202).toList();
        assertThat(refused).as("answers while it stopped").isNotEmpty();
        for (HttpResponse<String> r : refused) {
            String answer = r.statusCode() + " " + r.headers().map() + " " + r.body();
            assertThat(r.statusCode()).as(answer).isEqualTo(503);
            assertThat(r.headers().firstValue("Retry-After")).as(answer).hasValue("5");
            assertThat(r.headers().firstValue("Content-Type")).as(answer).hasValue("application/problem+json");
        }
    }
}
