package dev.aggregator;

import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar itself, started as a user starts it (java -jar from the repository root): the fat
 * jar must carry Camel's merged service files, Flyway's PostgreSQL support and the top-level settings.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class JarSmokeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final String database = TestServices.uniqueName("agg_jar");
    private final String vhost = TestServices.uniqueName("agg_jar");
    private final int port = TestServices.freePort();
    private final HttpClient http = HttpClient.newHttpClient();
    private Process app;
    private static final String SECRET = "jar-smoke-admin-token-0f3a";
    private Path log;

    @BeforeAll
    void start() throws Exception {
        Path jar = Path.of("target", "order-aggregator.jar");
        assertThat(jar).as("mvn package builds the jar first").exists();
        TestServices.createDatabase(database);
        TestServices.createVhost(vhost);
        log = Files.createTempFile("order-aggregator-jar", ".log");
        ProcessBuilder pb = new ProcessBuilder(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-jar", jar.toString());
        pb.environment().put("PORT", String.valueOf(port));
        pb.environment().put("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        pb.environment().put("RABBITMQ_URI", TestServices.amqpUri(vhost));
        pb.environment().put("ADMIN_TOKEN", SECRET);
        pb.redirectErrorStream(true).redirectOutput(log.toFile());
        app = pb.start();
    }

    @AfterAll
    void stop() throws Exception {
        if (app != null && app.isAlive()) {
            app.destroyForcibly();
        }
        TestServices.dropDatabase(database);
        TestServices.deleteVhost(vhost);
    }

    @Test
    void theJarServesBothDemoVendorsAndShutsDownCleanly() throws Exception {
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get("/health").statusCode() == 200);
        await().atMost(Duration.ofSeconds(60)).ignoreExceptions().untilAsserted(() -> {
            assertThat(json(get("/products?vendor=vendorA")).get("total").asInt()).isEqualTo(60);
            assertThat(json(get("/products?vendor=vendorB")).get("total").asInt()).isEqualTo(55);
        });
        JsonNode first = json(get("/products?limit=1")).at("/products/0");
        assertThat(first.get("name").asText()).isEqualTo("Essence Mascara Lash Princess");
        assertThat(get("/openapi.json").statusCode()).isEqualTo(200);
        for (String q : new String[] {"sync_from_external", "sync_from_external_dlq", "sync_to_external", "sync_to_external_dlq"}) {
            assertThat(TestServices.rabbitmqctl("list_queues", "-p", vhost, "name", "durable")).contains(q + "\ttrue");
        }

        app.destroy(); // SIGTERM
        assertThat(app.waitFor(40, TimeUnit.SECONDS)).as("stops within the shutdown timeout").isTrue();
        String output = Files.readString(log);
        assertThat(output).contains("is shutdown").doesNotContain("Exception in thread");
        // Settings carry credentials: Camel's start-up summaries printed every env variable, URIs included.
        assertThat(output).doesNotContain(SECRET).doesNotContain("guest:guest@");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return JSON.readTree(r.body());
    }
}
