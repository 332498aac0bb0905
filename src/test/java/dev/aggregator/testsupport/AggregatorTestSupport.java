package dev.aggregator.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.test.junit5.CamelContextConfiguration;
import org.apache.camel.test.main.junit5.CamelMainTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.TestInstance;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

/**
 * Starts the real application (the configuration and routes application.properties lists, and the HTTP
 * server) once per test class against a database and a vhost of its own on the local PostgreSQL and RabbitMQ.
 * Subclasses add or change settings in {@link #settings(Properties)}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AggregatorTestSupport extends CamelMainTestSupport {

    protected static final ObjectMapper JSON = new ObjectMapper();

    // No initializers: CamelTestSupport calls configureContext from its constructor, before they would run.
    protected String database;
    protected String vhost;
    protected int port;
    protected HttpClient http;

    private boolean provisioned;
    private java.util.List<testvendors.CountingVendor> outsideVendors;
    private boolean demoSynced;
    private JdbcTemplate jdbc;
    private CachingConnectionFactory rabbitFactory;
    private RabbitTemplate rabbit;

    @Override
    public void configureContext(CamelContextConfiguration camelContextConfiguration) {
        super.configureContext(camelContextConfiguration);
        provision();
        Properties p = new Properties();
        p.setProperty("PORT", String.valueOf(port));
        p.setProperty("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        p.setProperty("RABBITMQ_URI", TestServices.amqpUri(vhost));
        p.setProperty("VENDOR_POLL_PERIOD", "1h");
        p.setProperty("aggregator.poll.initial-delay", "0");
        p.setProperty("aggregator.connectivity.check-period", "1000");
        p.setProperty("camel.main.routes-include-pattern", "classpath:no-such-dir/*.yaml");
        // This class's own vendor files folder (empty unless the test writes to it), never the checkout's routes/.
        p.setProperty("aggregator.vendors.directory", vendorFiles().toString());
        p.setProperty("aggregator.vendors.scan-period-ms", "500");
        settings(p);
        camelContextConfiguration.withUseOverridePropertiesWithPropertiesComponent(p);
    }

    /** Settings of this test class on top of the defaults above. */
    protected void settings(Properties p) {
    }

    private java.nio.file.Path vendorFiles;

    /** The folder the service reads vendor files from (routes/ in production), one per test class. */
    protected synchronized java.nio.file.Path vendorFiles() {
        if (vendorFiles == null) {
            try {
                vendorFiles = java.nio.file.Files.createTempDirectory("agg-vendor-files");
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return vendorFiles;
    }

    private synchronized void provision() {
        if (!provisioned) {
            database = TestServices.uniqueName("agg_it");
            vhost = TestServices.uniqueName("agg_it");
            port = TestServices.freePort();
            http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            TestServices.createDatabase(database);
            TestServices.createVhost(vhost);
            provisioned = true;
        }
    }

    /**
     * A vendor that is an HTTP server of its own (not the in-process demo vendors), closed with the class.
     * Call it from settings(), which runs before the application starts.
     */
    protected testvendors.CountingVendor outsideVendor(String name, int products, long putLatencyMillis) {
        try {
            testvendors.CountingVendor vendor = new testvendors.CountingVendor(0, name, products, putLatencyMillis);
            if (outsideVendors == null) {
                outsideVendors = new java.util.ArrayList<>();
            }
            outsideVendors.add(vendor);
            return vendor;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void dropServices() throws Exception {
        if (context != null) {
            context.stop();
        }
        if (outsideVendors != null) {
            outsideVendors.forEach(testvendors.CountingVendor::close);
        }
        if (rabbitFactory != null) {
            rabbitFactory.destroy();
        }
        if (vendorFiles != null) {
            org.apache.camel.util.FileUtil.removeDir(vendorFiles.toFile());
        }
        if (provisioned) {
            TestServices.dropDatabase(database);
            TestServices.deleteVhost(vhost);
        }
    }

    /** The schema is migrated beside Camel's start-up: tests begin once it is there. */
    @org.junit.jupiter.api.BeforeEach
    void awaitSchema() {
        dev.aggregator.config.SchemaMigrator schema = context.getRegistry()
                .lookupByNameAndType("schema", dev.aggregator.config.SchemaMigrator.class);
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(schema::isReady);
    }

    /** Direct access to this class's database, to check what the service stored. */
    protected JdbcTemplate jdbc() {
        if (jdbc == null) {
            jdbc = new JdbcTemplate(new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", ""));
        }
        return jdbc;
    }

    /** Direct access to this class's vhost, to publish or read messages as another system would. */
    protected RabbitTemplate rabbit() {
        if (rabbit == null) {
            rabbitFactory = new CachingConnectionFactory(URI.create(TestServices.amqpUri(vhost)));
            rabbit = new RabbitTemplate(rabbitFactory);
        }
        return rabbit;
    }

    protected String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    protected HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    protected HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseUrl() + path)).timeout(Duration.ofSeconds(20))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    protected static JsonNode json(HttpResponse<String> response) throws Exception {
        return JSON.readTree(response.body());
    }

    /** Waits for the first poll of both demo vendors (60 and 55 products); call it before tests that order. */
    protected void awaitDemoCatalogues() {
        if (!demoSynced) {
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> productCount("vendorA") == 60 && productCount("vendorB") == 55);
            demoSynced = true;
        }
    }

    /** A demo vendor of this class's application ("A" or "B"). */
    protected dev.aggregator.demo.DemoVendor demoVendor(String letter) {
        return context.getRegistry().lookupByNameAndType("demoVendor" + letter, dev.aggregator.demo.DemoVendor.class);
    }

    /** POST /order with a JSON body. */
    protected HttpResponse<String> post(String body) throws Exception {
        return send("POST", "/order", body, "Content-Type", "application/json");
    }

    /** Waits (30 s at most) until GET /orders/{id} shows the status; returns that answer. */
    protected JsonNode awaitStatus(String orderId, String status) {
        return awaitStatus(orderId, status, java.time.Duration.ofSeconds(30));
    }

    protected JsonNode awaitStatus(String orderId, String status, java.time.Duration within) {
        return org.awaitility.Awaitility.await().atMost(within).ignoreExceptions()
                .until(() -> json(get("/orders/" + orderId)), o -> status.equals(o.get("status").asText()));
    }

    /** One unit of a product: POST /order must answer 202; returns the order id. */
    protected String order(String vendor, int product) throws Exception {
        HttpResponse<String> r = post("{\"id\":\"" + product + "\",\"vendor\":\"" + vendor + "\",\"quantity\":1}");
        org.assertj.core.api.Assertions.assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
        return json(r).get("orderId").asText();
    }

    /** How many of these orders are SYNCED. */
    protected int synced(java.util.List<String> ids) {
        return countOrders("status = 'SYNCED'", ids);
    }

    /** How many of these orders are no longer PENDING. */
    protected int finished(java.util.List<String> ids) {
        return countOrders("status <> 'PENDING'", ids);
    }

    private int countOrders(String condition, java.util.List<String> ids) {
        Integer n = jdbc().queryForObject("SELECT count(*) FROM orders WHERE " + condition + " AND order_id::text = ANY (?)",
                Integer.class, (Object) ids.toArray(new String[0]));
        return n == null ? 0 : n;
    }

    protected int productCount(String vendor) {
        Integer n = jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor = ?", Integer.class, vendor);
        return n == null ? 0 : n;
    }
}
