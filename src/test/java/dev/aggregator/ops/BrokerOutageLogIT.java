package dev.aggregator.ops;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault soak finding (bench/chaos.sh, broker outage): while RabbitMQ was away each instance logged ~460
 * warnings in 10 s, one per order batch the outbox could not publish and one per connection attempt the
 * AMQP client saw dropped. The outage is said once (ConnectivityMonitor, and one line from the outbox);
 * orders taken meanwhile still reach their vendor.
 */
class BrokerOutageLogIT extends AggregatorTestSupport {

    @Test
    void aBrokerOutageIsSaidOnceNotPerBatchOrConnectionAttempt() throws Exception {
        awaitDemoCatalogues();
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        root.addAppender(log);
        List<String> orders = new ArrayList<>();
        try {
            TestServices.rabbitmqctl("clear_permissions", "-p", vhost, "guest");
            try {
                TestServices.rabbitmqctl("close_all_connections", "-p", vhost, "test: broker outage");
                await().atMost(Duration.ofSeconds(20)).until(() -> get("/health").statusCode() == 503);
                for (int i = 0; i < 20; i++) {
                    orders.add(json(post("{\"id\":\"VB-1002\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText());
                }
                // the outbox's fast path tries (and fails) each of them while the broker stays away
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() -> get("/health").statusCode() == 503);
            } finally {
                TestServices.rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
            }
            for (String id : orders) {
                awaitStatus(id, "SYNCED", Duration.ofSeconds(60));
            }
        } finally {
            root.detachAppender(log);
        }
        List<ILoggingEvent> warnings = log.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN)).toList();
        assertThat(warnings.stream().filter(e -> e.getLoggerName().endsWith("ForgivingExceptionHandler")))
                .as("the AMQP client's line per dropped connection attempt").isEmpty();
        assertThat(warnings.stream().filter(e -> e.getLoggerName().endsWith("OutboxPublisher")))
                .as("the outbox says the outage once, not per batch").hasSizeLessThanOrEqualTo(1);
        assertThat(warnings.stream().filter(e -> e.getLoggerName().endsWith("ConnectivityMonitor")).map(ILoggingEvent::getFormattedMessage))
                .as("the monitor names the broker once").hasSize(1).allMatch(m -> m.contains("RabbitMQ at 127.0.0.1:5672"));
    }
}
