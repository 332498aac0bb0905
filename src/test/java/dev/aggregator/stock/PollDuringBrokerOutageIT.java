package dev.aggregator.stock;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault soak finding (bench/chaos.sh, broker outage): a poll whose products could not be queued is a failed
 * poll, not a complete one. It used to be recorded as complete (each product's failed publish was handled
 * inside the page's split, and the poll went on), so the next poll delisted every product whose message
 * that poll had not stored: stock 0 and 409 to every order until their messages came.
 */
class PollDuringBrokerOutageIT extends AggregatorTestSupport {

    private CountingVendor vendor;

    @Override
    protected void settings(Properties p) {
        vendor = outsideVendor("outage", 5, 0);
        p.setProperty("VENDOR_URL_1", vendor.url());
        // one poll at start; the test runs the others itself
        p.setProperty("VENDOR_POLL_PERIOD", "1h");
    }

    @Test
    void aPollThatCouldNotQueueItsProductsIsFailedAndDelistsNothingLater() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("outage") == 5);
        await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> lastCompleteFetch() != null);
        Timestamp complete = lastCompleteFetch();

        // The broker refuses this service (its vhost closed to it), and a poll runs: the vendor answers,
        // the products cannot be queued.
        TestServices.rabbitmqctl("clear_permissions", "-p", vhost, "guest");
        try {
            TestServices.rabbitmqctl("close_all_connections", "-p", vhost, "test: broker outage");
            await().atMost(Duration.ofSeconds(20)).until(() -> get("/health").statusCode() == 503);
            template.sendBody("direct:vendor-poll-outage", null);
        } finally {
            TestServices.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
        }
        assertThat(lastCompleteFetch()).as("the failed poll is not the last complete one").isEqualTo(complete);
        assertThat(jdbc().queryForObject("SELECT last_error FROM vendor_status WHERE vendor = 'outage'", String.class))
                .as("the poll is recorded as failed").isNotNull();

        // The broker is back; the next poll's messages wait (stock consumers stopped: they are slow, or
        // still reconnecting) while that poll completes. Nothing it listed may be delisted.
        await().atMost(Duration.ofSeconds(30)).until(() -> get("/health").statusCode() == 200);
        context.getRouteController().stopRoute("stock-upsert");
        try {
            template.sendBody("direct:vendor-poll-outage", null);
            assertThat(jdbc().queryForObject("SELECT consecutive_errors FROM vendor_status WHERE vendor = 'outage'", Integer.class))
                    .as("the poll completed").isZero();
            // its products wait in the queue: the poll is not applied, so nothing is delisted for it (PollProgress)
            assertThat(lastCompleteFetch()).isEqualTo(complete);
            assertThat(jdbc().queryForObject("SELECT count(*) FROM products WHERE vendor = 'outage' AND delisted_at IS NULL AND vendor_stock > 0",
                    Integer.class)).as("products still orderable").isEqualTo(5);
            assertThat(post("{\"id\":\"1\",\"vendor\":\"outage\",\"quantity\":1}").statusCode()).isEqualTo(202);
        } finally {
            context.getRouteController().startRoute("stock-upsert");
        }
        // its products applied, the poll is the one later delistings compare with
        await().atMost(Duration.ofSeconds(20)).until(() -> lastCompleteFetch().after(complete));
        assertThat(productCount("outage")).isEqualTo(5);
    }

    private Timestamp lastCompleteFetch() {
        return jdbc().queryForObject("SELECT last_complete_fetch_at FROM vendor_status WHERE vendor = 'outage'", Timestamp.class);
    }
}
