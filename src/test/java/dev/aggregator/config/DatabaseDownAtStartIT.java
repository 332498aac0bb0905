package dev.aggregator.config;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.testsupport.AppProcess;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The contract: with PostgreSQL unreachable at start-up the service says so in one line, keeps retrying
 * and answers 503 meanwhile; it does not exit. Once the database is back it migrates the schema, starts
 * polling the vendors and takes orders. (Vendor polling keeps its Quartz jobs in our database, and used
 * to fail the whole start-up here.)
 */
class DatabaseDownAtStartIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String database = TestServices.uniqueName("agg_down");
    private final String vhost = TestServices.uniqueName("agg_down");
    private AppProcess app;

    @BeforeEach
    void refuseConnections() {
        TestServices.createDatabase(database);
        TestServices.createVhost(vhost);
        TestServices.sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
    }

    @AfterEach
    void cleanUp() throws Exception {
        if (app != null) {
            app.close();
        }
        TestServices.dropDatabase(database);
        TestServices.deleteVhost(vhost);
    }

    @Test
    void startsWithoutTheDatabaseAnswers503AndCatchesUpWhenItIsBack() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        env.put("RABBITMQ_URI", TestServices.amqpUri(vhost));
        env.put("VENDOR_POLL_PERIOD", "1s");
        app = AppProcess.start("db-down", env);

        // (While Camel starts, every path answers the HTTP gate's 503 "starting": wait for /health's own.)
        HttpResponse<String> health = await().atMost(Duration.ofSeconds(60)).ignoreExceptions()
                .until(() -> app.get("/health"), r -> r.statusCode() == 503 && r.body().contains("\"database\""));
        assertThat(JSON.readTree(health.body()).at("/database/status").asText()).isEqualTo("DOWN");
        // The jar's orchestrator answers: alive (do not restart it), not ready (send it no traffic).
        HttpResponse<String> ready = app.get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(JSON.readTree(ready.body()).at("/checks/database/status").asText()).isEqualTo("DOWN");
        assertThat(app.get("/health/live").statusCode()).isEqualTo(200);

        HttpResponse<String> order = app.post("/order", "{\"id\":\"1\",\"vendor\":\"vendorA\",\"quantity\":1}");
        assertThat(order.statusCode()).isEqualTo(503);
        assertThat(order.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(order.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(JSON.readTree(order.body()).get("detail").asText()).contains("database is unavailable");
        assertThat(app.get("/products").statusCode()).isEqualTo(503);

        // Still running, a few seconds into the outage: no exit, and no stack traces in the log.
        assertThat(app.isAlive()).isTrue();
        String log = app.log();
        assertThat(log).contains("PostgreSQL at 127.0.0.1:5432/" + database + " is unreachable").doesNotContain("\tat ");
        List<String> errors = log.lines().filter(l -> l.contains(" ERROR ")).toList();
        assertThat(errors).as(log).allMatch(l -> l.contains("127.0.0.1:5432/" + database + " is unreachable"));

        TestServices.sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        app.awaitHealthy(Duration.ofSeconds(30));
        JdbcTemplate jdbc = new JdbcTemplate(new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", ""));
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() ->
                jdbc.queryForObject("SELECT count(DISTINCT vendor) FROM products", Integer.class) == 2);

        HttpResponse<String> placed = app.post("/order", "{\"id\":\"1\",\"vendor\":\"vendorA\",\"quantity\":1}");
        assertThat(placed.statusCode()).as(placed.body()).isEqualTo(202);
        String orderId = JSON.readTree(placed.body()).get("orderId").asText();
        JsonNode synced = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> JSON.readTree(app.get("/orders/" + orderId).body()), o -> "SYNCED".equals(o.get("status").asText()));
        assertThat(synced.get("orderId").asText()).isEqualTo(orderId);
        assertThat(app.log()).doesNotContain("\tat ");
    }
}
