package dev.aggregator.ops;

import java.net.http.HttpResponse;
import java.time.Duration;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * /health and /health/ready follow the database: 503 while PostgreSQL refuses us, 200 again once it is
 * back; /health/live stays 200 throughout (a database outage is no reason to restart the process).
 */
class HealthIT extends AggregatorTestSupport {

    @Test
    void healthGoesDownWithTheDatabaseAndComesBack() throws Exception {
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/health").statusCode() == 200);
        try {
            // Make the database unreachable for the service: refuse new connections, cut the open ones.
            TestServices.sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
            TestServices.sql("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database + "'");

            HttpResponse<String> down = await().atMost(Duration.ofSeconds(20)).until(() -> get("/health"), r -> r.statusCode() == 503);
            JsonNode body = json(down);
            assertThat(body.get("status").asText()).isEqualTo("DOWN");
            assertThat(body.at("/database/status").asText()).isEqualTo("DOWN");
            assertThat(body.at("/database/address").asText()).contains(database);
            assertThat(body.at("/broker/status").asText()).isEqualTo("UP");

            HttpResponse<String> ready = await().atMost(Duration.ofSeconds(20)).until(() -> get("/health/ready"), r -> r.statusCode() == 503);
            assertThat(json(ready).at("/checks/database/status").asText()).isEqualTo("DOWN");
            assertThat(json(ready).at("/checks/database/address").asText()).contains(database);
            assertThat(json(ready).at("/checks/broker/status").asText()).as(ready.body()).isEqualTo("UP");
            HttpResponse<String> live = get("/health/live");
            assertThat(live.statusCode()).as(live.body()).isEqualTo(200);
            assertThat(json(live).get("status").asText()).isEqualTo("UP");
        } finally {
            TestServices.sql("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
        }
        HttpResponse<String> up = await().atMost(Duration.ofSeconds(20)).until(() -> get("/health"), r -> r.statusCode() == 200);
        assertThat(json(up).get("status").asText()).isEqualTo("UP");
        HttpResponse<String> ready = await().atMost(Duration.ofSeconds(20)).until(() -> get("/health/ready"), r -> r.statusCode() == 200);
        assertThat(json(ready).at("/checks/database/status").asText()).isEqualTo("UP");
        assertThat(json(ready).at("/checks/broker/status").asText()).isEqualTo("UP");
    }
}
