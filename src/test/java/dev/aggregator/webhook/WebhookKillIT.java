package dev.aggregator.webhook;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.testsupport.AppProcess;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import testvendors.CountingVendor;
import testvendors.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The service in its own JVM, SIGKILLed while its webhook receiver leaves every request unanswered (sends in
 * flight, leased, others waiting for their backoff): a new instance on the same database sends every event
 * once the receiver is back, each with a valid signature. Nothing about a webhook lives only in memory.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebhookKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECRET = "whsec_kill_it";

    private final String database = TestServices.uniqueName("agg_webhook");
    private final String vhost = TestServices.uniqueName("agg_webhook");
    private CountingVendor vendor;
    private WebhookReceiver receiver;
    private JdbcTemplate jdbc;
    private AppProcess a;
    private AppProcess b;

    @BeforeAll
    void start() throws Exception {
        TestServices.createDatabase(database);
        TestServices.createVhost(vhost);
        jdbc = new JdbcTemplate(new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", ""));
        vendor = new CountingVendor(0, "shop", 20, 20);
        receiver = new WebhookReceiver(SECRET);
    }

    @AfterAll
    void stop() throws Exception {
        for (AppProcess p : new AppProcess[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
        vendor.close();
        receiver.close();
        TestServices.dropDatabase(database);
        TestServices.deleteVhost(vhost);
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        env.put("RABBITMQ_URI", TestServices.amqpUri(vhost));
        env.put("VENDOR_URL_1", vendor.url());
        env.put("DEMO_VENDORS", "false");
        env.put("VENDOR_POLL_PERIOD", "1s");
        env.put("VENDOR_RATE_LIMIT", "1000");
        env.put("WEBHOOK_URL", receiver.url("/hooks"));
        env.put("WEBHOOK_SECRET", SECRET);
        env.put("AGGREGATOR_WEBHOOKS_RELAY_PERIOD_MS", "200");
        env.put("AGGREGATOR_WEBHOOKS_TIMEOUT_MS", "1000");
        env.put("AGGREGATOR_WEBHOOKS_BACKOFF_FIRST_MS", "200");
        env.put("AGGREGATOR_WEBHOOKS_BACKOFF_MAX_MS", "1000");
        env.put("AGGREGATOR_WEBHOOKS_CONCURRENCY", "4");
        return env;
    }

    @Test
    void noEventIsLostWhenTheServiceIsKilled() throws Exception {
        // every request left unanswered for 3 s (the time-out is 1 s): events in flight and waiting when the kill comes
        receiver.failFor(0, 1_000_000, Duration.ofSeconds(3));
        a = AppProcess.start("webhook-a", env()).awaitHealthy(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM products WHERE vendor = 'shop'") == 20);
        List<String> ids = new ArrayList<>();
        for (int product = 1; product <= 20; product++) {
            HttpResponse<String> r = a.post("/order", "{\"id\":\"" + product + "\",\"vendor\":\"shop\",\"quantity\":1}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(JSON.readTree(r.body()).get("orderId").asText());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM orders WHERE status = 'SYNCED'") == 20);
        assertThat(count("SELECT count(*) FROM webhook_outbox WHERE event_type = 'order.synced'")).isEqualTo(20);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.requests() >= 8);
        a.kill();
        assertThat(receiver.received()).isEmpty();

        receiver.failFor(0, 0, Duration.ZERO);
        b = AppProcess.start("webhook-b", env()).awaitHealthy(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertThat(receiver.orderIds("order.synced")).containsExactlyInAnyOrderElementsOf(ids));
        assertThat(receiver.badSignatures()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> count("SELECT count(*) FROM webhook_outbox") == 0);
    }

    private int count(String sql) {
        Integer n = jdbc.queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }
}
