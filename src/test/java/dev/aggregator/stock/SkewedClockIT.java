package dev.aggregator.stock;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.apache.camel.spi.Registry;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, defect 3: stock timestamps must come from one clock. This instance's JVM clock runs 10 minutes
 * ahead. Its poll must not stamp the stock with a time in the future, or every correct fetch from
 * another instance is rejected as older for 10 minutes.
 */
class SkewedClockIT extends AggregatorTestSupport {

    private CountingVendor vendor;

    @Override
    protected void bindToRegistry(Registry registry) throws Exception {
        registry.bind("clock", Clock.offset(Clock.systemUTC(), Duration.ofMinutes(10)));
    }

    @Override
    protected void settings(Properties p) {
        vendor = outsideVendor("skew", 3, 10);
        p.setProperty("VENDOR_URL_1", vendor.url());
    }


    @Test
    void aFetchByAnInstanceWithTheRightClockIsAppliedAfterOurPoll() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("skew") == 3);
        Instant ours = jdbc().queryForObject("SELECT fetched_at FROM products WHERE vendor = 'skew' AND product_id = '1'", java.sql.Timestamp.class).toInstant();
        assertThat(ours).as("fetch time of our poll").isBefore(Instant.now().plusSeconds(60));

        // Another instance, with the right clock, fetches after our poll and sees 5 left.
        Instant later = Instant.now();
        assertThat(later).isAfter(ours);
        String envelope = "{\"vendor\":\"skew\",\"source\":\"other-instance\",\"fetchedAt\":\"" + later
                + "\",\"product\":{\"id\":1,\"title\":\"Item 1\",\"price\":1.5,\"stock\":5}}";
        MessageProperties props = new MessageProperties();
        props.setContentType("application/json");
        rabbit().send("", QueueTopology.FROM_EXTERNAL, new Message(envelope.getBytes(), props));
        await().atMost(Duration.ofSeconds(10)).until(() -> jdbc().queryForObject(
                "SELECT vendor_stock FROM products WHERE vendor = 'skew' AND product_id = '1'", Integer.class) == 5);
    }
}
