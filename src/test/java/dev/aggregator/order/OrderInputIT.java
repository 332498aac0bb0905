package dev.aggregator.order;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.Stream;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 25, item 9: POST /order with input that Jackson or PostgreSQL cannot take as it is (a price of
 * 1e999, which Jackson reads as Infinity; a NUL character, which PostgreSQL's text refuses) for a product of
 * an outside vendor: 400 application/problem+json naming the field, never a 500 with an ERROR line, and no
 * order stored.
 */
class OrderInputIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("VENDOR_URL_1", outsideVendor("outside", 5, 10).url());
        p.setProperty("DEMO_VENDORS", "false");
    }

    @BeforeEach
    void catalogue() {
        await().atMost(Duration.ofSeconds(30)).until(() -> productCount("outside") == 5);
    }

    static Stream<Arguments> hostileBodies() {
        // \\u0000 is JSON's escape for a NUL character: valid JSON, a string Java holds and PostgreSQL refuses
        return Stream.of(
                Arguments.of("{\"id\":1,\"vendor\":\"outside\",\"quantity\":1,\"price\":1e999}", "price"),
                Arguments.of("{\"id\":1,\"vendor\":\"outside\",\"quantity\":1,\"price\":-1e999}", "price"),
                Arguments.of("{\"id\":1,\"vendor\":\"outside\",\"quantity\":1,\"name\":\"Item\\u0000 1\"}", "name"),
                Arguments.of("{\"id\":\"1\\u00002\",\"vendor\":\"outside\",\"quantity\":1}", "id"),
                Arguments.of("{\"id\":1,\"vendor\":\"out\\u0000side\",\"quantity\":1}", "vendor"),
                // a NUL at the end was trimmed away like a space, and the order taken for what was left
                Arguments.of("{\"id\":\"1\\u0000\",\"vendor\":\"outside\",\"quantity\":1}", "id"));
    }

    @ParameterizedTest
    @MethodSource("hostileBodies")
    void isA400NamingTheFieldWithoutAnErrorLine(String body, String field) throws Exception {
        int ordersBefore = jdbc().queryForObject("SELECT count(*) FROM orders", Integer.class);
        List<ILoggingEvent> logged = logging(() -> {
            HttpResponse<String> r = post(body);
            assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
            assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(json(r).get("status").asInt()).isEqualTo(400);
            assertThat(json(r).get("detail").asText()).startsWith(field + " ");
        });
        assertThat(logged).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).extracting(ILoggingEvent::getFormattedMessage).isEmpty();
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders", Integer.class)).isEqualTo(ordersBefore);
    }

    /** The same product with a finite price and a plain name is ordered: what is refused above is the input alone. */
    @Test
    void theSameOrderWithPlainInputIsAccepted() throws Exception {
        HttpResponse<String> r = post("{\"id\":1,\"vendor\":\"outside\",\"quantity\":1,\"price\":1.5,\"name\":\"Item 1\"}");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    }

    private interface Call {
        void run() throws Exception;
    }

    /** What was logged (anywhere) while the call ran. */
    private static List<ILoggingEvent> logging(Call call) throws Exception {
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        try {
            call.run();
        } finally {
            root.detachAppender(log);
        }
        return List.copyOf(log.list);
    }
}
