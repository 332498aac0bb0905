package dev.aggregator.ops;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.sql.DataSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.SchemaMigrator;
import dev.aggregator.config.Settings;
import org.apache.camel.Exchange;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;

/**
 * Is the service usable: PostgreSQL answers (with its schema migrated) and RabbitMQ accepts a connection.
 * Serves GET /health and feeds the connectivity log lines.
 */
public class HealthService {

    private final ObjectMapper json;

    private final DataSource dataSource;
    private final SchemaMigrator schema;
    private final ConnectionFactory rabbit;
    private final Settings settings;
    private final Instant started = Instant.now();
    private volatile java.util.function.Supplier<? extends Map<String, ?>> vendors = Map::of;
    private volatile java.util.function.Supplier<? extends Map<String, ?>> vendorFiles = Map::of;

    public HealthService(DataSource dataSource, SchemaMigrator schema, ConnectionFactory rabbit, Settings settings, ObjectMapper json) {
        this.json = json;
        this.dataSource = dataSource;
        this.schema = schema;
        this.rabbit = rabbit;
        this.settings = settings;
    }

    /** Each vendor's delivery lane (breaker, calls in flight, last error): shown, never making the service DOWN. */
    public void vendorStates(java.util.function.Supplier<? extends Map<String, ?>> vendors) {
        this.vendors = vendors;
    }

    /** Each vendor file's state (a file that cannot be used, with its error): shown, never making the service DOWN. */
    public void vendorFiles(java.util.function.Supplier<? extends Map<String, ?>> files) {
        this.vendorFiles = files;
    }

    /** A component's state: UP, or DOWN with the reason. */
    public record Check(boolean up, String address, String error) {
    }

    public Check database() {
        String address = settings.database().address();
        try (Connection c = dataSource.getConnection()) {
            if (!c.isValid(2)) {
                return new Check(false, address, "connection is not valid");
            }
            return schema.isReady() ? new Check(true, address, null) : new Check(false, address, "schema not migrated yet");
        } catch (Exception e) {
            return new Check(false, address, SchemaMigrator.rootMessageOf(e));
        }
    }

    public Check broker() {
        String address = settings.rabbitAddress();
        try {
            var connection = rabbit.createConnection();
            return connection.isOpen() ? new Check(true, address, null) : new Check(false, address, "connection closed");
        } catch (Exception e) {
            return new Check(false, address, SchemaMigrator.rootMessageOf(e));
        }
    }

    /** GET /health: 200 when both are up, 503 otherwise, with each component's state and the uptime. */
    public void answer(Exchange exchange) throws JsonProcessingException {
        // The readiness checks decide (the same Camel health checks as /health/ready); this renders them
        // with the details an operator reads: each dependency, each vendor's lane, the uptime.
        Map<String, Object> checks = ServiceHealthChecks.render(
                org.apache.camel.health.HealthCheckHelper.invokeReadiness(exchange.getContext()));
        boolean up = checks.values().stream().allMatch(c -> "UP".equals(((Map<?, ?>) c).get("status")));
        Duration uptime = Duration.between(started, Instant.now());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("database", checks.getOrDefault("database", Map.of("status", "DOWN")));
        body.put("broker", checks.getOrDefault("broker", Map.of("status", "DOWN")));
        body.put("vendors", vendors.get());
        body.put("vendorFiles", vendorFiles.get());
        body.put("uptime", uptime.withNanos(0).toString());
        body.put("uptimeSeconds", uptime.toSeconds());
        body.put("startedAt", started.toString());
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        if (!up) {
            exchange.getMessage().setHeader("Retry-After", "5"); // as every other 503 of ours: ask again shortly
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(body));
    }
}
