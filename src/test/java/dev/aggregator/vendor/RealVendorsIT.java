package dev.aggregator.vendor;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.LoggerFactory;
import testvendors.GuardedVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Vendors as real ones are, each its own HTTP server: credentials of four kinds (bearer token, API-key
 * header, key in the query string on a paged catalogue, Basic auth in the URL), conditional polling, and
 * answers that go wrong (401, HTML, a JSON error object, truncated JSON). The service syncs from and
 * delivers to each, says clearly what went wrong with the others, and never shows a secret.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RealVendorsIT extends AggregatorTestSupport {

    private static final String TOKEN = "tok-SECRET-1a2b";
    private static final String API_KEY = "hdr-SECRET-3c4d";
    private static final String QUERY_KEY = "qry-SECRET-5e6f";
    private static final String PASSWORD = "pw-SECRET-7g8h";
    private static final String ADMIN = "admin-token-it";
    private static final List<String> SECRETS = List.of(TOKEN, API_KEY, QUERY_KEY, PASSWORD);

    // No initializers: settings() runs from the superclass's constructor, before they would.
    private List<GuardedVendor> vendors;
    private GuardedVendor bearer;
    private GuardedVendor header;
    private GuardedVendor queryKey;
    private GuardedVendor basic;
    private GuardedVendor etag;
    private GuardedVendor refusing;
    private GuardedVendor html;
    private GuardedVendor errorObject;
    private GuardedVendor truncated;
    private ListAppender<ILoggingEvent> log;

    private GuardedVendor vendor(String name, int products, int pageSize) {
        try {
            GuardedVendor v = new GuardedVendor(name, products, pageSize);
            if (vendors == null) {
                vendors = new ArrayList<>();
            }
            vendors.add(v);
            return v;
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected void settings(Properties p) {
        // Everything the service logs from its start on, to look for secrets in.
        log = new ListAppender<>();
        log.start();
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(log);
        // The HTTP libraries at DEBUG print every request as sent, credentials and all (issue 25, item 11).
        for (String name : DEBUG_LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(ch.qos.logback.classic.Level.DEBUG);
        }

        bearer = vendor("bearer", 10, 50).requireBearer(TOKEN);
        header = vendor("header", 10, 50).requireHeader("X-Api-Key", API_KEY);
        queryKey = vendor("querykey", 60, 25).requireQuery("key", QUERY_KEY);
        basic = vendor("basic", 10, 50).requireBasic("shop", PASSWORD);
        etag = vendor("etag", 10, 50).withEtags();
        refusing = vendor("refusing", 10, 50).requireBearer("a-token-we-do-not-have");
        html = vendor("html", 10, 50);
        html.answer(GuardedVendor.Answer.HTML);
        errorObject = vendor("errorobject", 10, 50);
        errorObject.answer(GuardedVendor.Answer.ERROR_OBJECT);
        truncated = vendor("truncated", 10, 50);
        truncated.answer(GuardedVendor.Answer.TRUNCATED);

        p.setProperty("DEMO_VENDORS", "false");
        p.setProperty("ADMIN_TOKEN", ADMIN);
        p.setProperty("VENDOR_URL_1", bearer.url());
        p.setProperty("VENDOR_TOKEN_1", TOKEN);
        p.setProperty("VENDOR_URL_2", header.url());
        p.setProperty("VENDOR_HEADERS_2", "X-Api-Key: " + API_KEY + "; X-Tenant: 7");
        p.setProperty("VENDOR_URL_3", queryKey.url() + "?key=" + QUERY_KEY);
        p.setProperty("VENDOR_URL_4", basic.url().replace("http://", "http://shop:" + PASSWORD + "@"));
        p.setProperty("VENDOR_URL_5", etag.url());
        p.setProperty("VENDOR_POLL_PERIOD_5", "500ms");
        p.setProperty("VENDOR_URL_6", refusing.url());
        p.setProperty("VENDOR_POLL_PERIOD_6", "1s");
        p.setProperty("VENDOR_URL_7", html.url());
        p.setProperty("VENDOR_URL_8", errorObject.url());
        p.setProperty("VENDOR_URL_9", truncated.url());
    }

    @AfterAll
    void closeVendors() {
        vendors.forEach(GuardedVendor::close);
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(log);
        for (String name : DEBUG_LOGGERS) {
            ((Logger) LoggerFactory.getLogger(name)).setLevel(null);
        }
    }

    private static final List<String> DEBUG_LOGGERS = List.of("org.apache.hc.client5.http.headers", "org.apache.hc.client5.http.wire",
            "org.apache.camel.component.http", "org.apache.camel.component.vertx.http", "io.vertx.core.http");

    @Test
    @Order(1)
    void syncsFromEveryVendorWithItsCredentials() {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(productCount("bearer")).isEqualTo(10);
            assertThat(productCount("header")).isEqualTo(10);
            assertThat(productCount("querykey")).isEqualTo(60);
            assertThat(productCount("basic")).isEqualTo(10);
        });
        // The key in the URL's query string is on every page, beside our paging parameters.
        List<GuardedVendor.Seen> pages = queryKey.seen("GET").stream().filter(s -> s.status() == 200).toList();
        assertThat(pages).hasSizeGreaterThanOrEqualTo(3);
        assertThat(pages).allSatisfy(s -> assertThat(s.query()).contains("key=" + QUERY_KEY));
        assertThat(pages).anySatisfy(s -> assertThat(s.query()).contains("skip=25"));
        assertThat(pages).anySatisfy(s -> assertThat(s.query()).contains("skip=50"));
        assertThat(header.seen("GET")).allSatisfy(s -> assertThat(s.headers()).containsEntry("x-tenant", "7"));
    }

    @Test
    @Order(2)
    void deliversToEveryVendorWithItsCredentials() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("querykey") == 60 && productCount("basic") == 10
                && productCount("bearer") == 10 && productCount("header") == 10);
        for (GuardedVendor v : List.of(bearer, header, queryKey, basic)) {
            HttpResponse<String> r = post("{\"id\":\"3\",\"vendor\":\"" + v.name() + "\",\"quantity\":1}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            awaitStatus(json(r).get("orderId").asText(), "SYNCED");
            List<GuardedVendor.Seen> puts = v.seen("PUT");
            assertThat(puts).hasSize(1);
            assertThat(puts.get(0).status()).isEqualTo(200);
            assertThat(puts.get(0).path()).isEqualTo("/" + v.name() + "/products/3");
        }
        // PUT <path>/<id>?<the URL's own query>
        assertThat(queryKey.seen("PUT").get(0).query()).isEqualTo("key=" + QUERY_KEY);
    }

    @Test
    @Order(3)
    void anUnchangedCatalogueCostsOne304AndStoresNothing() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("etag") == 10);
        Timestamp updated = lastUpdate("etag");
        int before304 = notModified();
        // Polled every 500 ms: several conditional polls, each answered 304.
        await().atMost(Duration.ofSeconds(20)).until(() -> notModified() >= before304 + 3);
        assertThat(lastUpdate("etag")).isEqualTo(updated);
        assertThat(etag.seen("GET").stream().filter(s -> s.status() == 304))
                .allSatisfy(s -> assertThat(s.headers()).containsEntry("if-none-match", "\"v1\""));
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(get("/metrics").body())
                .containsPattern("aggregator_vendor_polls_total\\{outcome=\"not_modified\",vendor=\"etag\"} [3-9]"));

        // A price change: the vendor's ETag changes, the next poll reads and stores the new price.
        etag.changePrices();
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(jdbc().queryForObject(
                "SELECT min(price)::float8 FROM products WHERE vendor = 'etag'", Double.class)).isEqualTo(etag.price()));
        assertThat(lastUpdate("etag")).isAfter(updated);
    }

    @Test
    @Order(4)
    void vendorsThatAnswerWronglyAreNamedWithWhatWentWrong() throws Exception {
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            JsonNode v = json(get("/health")).get("vendors");
            assertThat(v.at("/refusing/poll/lastError").asText()).contains("refused our credentials (HTTP 401)");
            assertThat(v.at("/html/poll/lastError").asText()).contains("text/html, not JSON");
            assertThat(v.at("/errorobject/poll/lastError").asText()).contains("quota exceeded");
            assertThat(v.at("/truncated/poll/lastError").asText()).contains("invalid or truncated JSON");
        });
        // The dashboard's data says it too (from the database, for the whole cluster).
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(get("/ops/overview").body())
                .contains("refused our credentials").contains("text/html, not JSON"));
        // One log line per poll, no stack trace.
        List<ILoggingEvent> refused = log.list.stream()
                .filter(e -> e.getFormattedMessage().contains("Poll of vendor refusing failed")).toList();
        assertThat(refused).isNotEmpty().allSatisfy(e -> assertThat(e.getThrowableProxy()).isNull());
        // Not retried in a tight loop: polled once per period (1 s) at the most.
        long first = System.nanoTime();
        int before = refusing.seen().size();
        await().atMost(Duration.ofSeconds(10)).until(() -> refusing.seen().size() >= before + 3);
        double seconds = (System.nanoTime() - first) / 1e9;
        assertThat(refusing.seen().size() - before).isLessThanOrEqualTo((int) Math.ceil(seconds) + 2);
        assertThat(productCount("refusing") + productCount("html") + productCount("errorobject") + productCount("truncated")).isZero();
    }

    @Test
    @Order(5)
    void noSecretInLogsAnswersMetricsOrStoredRows() throws Exception {
        List<String> texts = new ArrayList<>();
        texts.add(get("/health").body());
        texts.add(get("/health/ready").body());
        texts.add(get("/ops/overview").body());
        texts.add(get("/metrics").body());
        texts.add(get("/dashboard/").body());
        texts.add(get("/products?limit=1000").body());
        texts.add(get("/orders").body());
        texts.add(get("/openapi.json").body());
        texts.add(admin("/admin/dlq/" + QueueTopology.FROM_EXTERNAL_DLQ).body());
        texts.add(admin("/admin/dlq/" + QueueTopology.TO_EXTERNAL_DLQ).body());
        texts.add(String.valueOf(jdbc().queryForList("SELECT * FROM vendor_status")));
        texts.add(String.valueOf(jdbc().queryForList("SELECT vendor, product_id, source, raw::text FROM products")));
        texts.add(String.valueOf(jdbc().queryForList("SELECT * FROM orders")));
        // Every line as it is written: the console appender's own layout (logback.xml), stack traces included.
        var console = (ch.qos.logback.core.encoder.LayoutWrappingEncoder<ILoggingEvent>) ((ch.qos.logback.core.OutputStreamAppender<ILoggingEvent>)
                ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).getAppender("STDOUT")).getEncoder();
        boolean sawBearerHeader = false;
        for (ILoggingEvent e : List.copyOf(log.list)) {
            String line = console.getLayout().doLayout(e);
            texts.add(line);
            sawBearerHeader |= line.contains("Authorization: Bearer ***");
        }
        assertThat(log.list).isNotEmpty();
        assertThat(sawBearerHeader).as("the client's DEBUG header log was written, masked").isTrue();
        for (String text : texts) {
            for (String secret : SECRETS) {
                assertThat(text).doesNotContain(secret);
            }
        }
        // The vendor's URL is still shown, its query's values hidden.
        assertThat(jdbc().queryForObject("SELECT url FROM vendor_status WHERE vendor = 'querykey'", String.class))
                .isEqualTo(queryKey.url() + "?key=***");
    }

    private HttpResponse<String> admin(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(baseUrl() + path)).header("Authorization", "Bearer " + ADMIN)
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private Timestamp lastUpdate(String vendor) {
        return jdbc().queryForObject("SELECT max(updated_at) FROM products WHERE vendor = ?", Timestamp.class, vendor);
    }

    private int notModified() {
        return etag.seen("GET").stream().filter(s -> s.status() == 304).toList().size();
    }
}
