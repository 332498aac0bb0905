package dev.aggregator.delivery;

import dev.aggregator.config.QueueTopology;
import dev.aggregator.support.DeadLetterHeaders;
import dev.aggregator.support.DeadLetterRoutes;
import org.apache.camel.builder.RouteBuilder;

/**
 * Orders to vendors. sync_to_external stays the one queue orders are published to (outbox, replay,
 * reconciliation); the router moves each order to its vendor's lane queue (sync_to_external.<vendor>),
 * where the vendor's lane delivers it (LaneRoutes). Failures end in one dead-letter route.
 */
public class DeliveryRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // Acknowledged once the broker confirmed the copy in the lane queue (published mandatory, so a
        // missing queue is no confirm): an order is never lost between the two queues (a crash in between
        // leaves a duplicate, which delivery tolerates).
        from("spring-rabbitmq:default?queues=" + QueueTopology.TO_EXTERNAL
                + "&acknowledgeMode=AUTO&rejectAndDontRequeue=false&maximumRetryAttempts=1"
                + "&concurrentConsumers={{aggregator.delivery.router-consumers}}&prefetchCount={{aggregator.delivery.router-prefetch}}")
                .routeId("order-lane-router")
                .routeConfigurationId(DeliveryErrors.ROUTER)
                .setProperty(OrderDelivery.ATTEMPTS, constant(0))
                .bean("laneRouter", "route").id("publish-to-lane");

        // The order is marked FAILED first (guarded by status = PENDING) and only the delivery that made
        // that change publishes the dead letter, so duplicates of one order never leave two letters.
        // The letter is the message as it was queued (onException restored it) with the headers below.
        from("direct:order-dead-letter")
                .routeId("order-dead-letter")
                .setHeader(DeadLetterHeaders.ORDER_ID, exchangeProperty(OrderDelivery.ORDER_ID))
                .setHeader(DeadLetterHeaders.VENDOR, exchangeProperty(OrderDelivery.VENDOR))
                .setHeader(DeadLetterHeaders.ATTEMPTS, exchangeProperty(OrderDelivery.ATTEMPTS))
                .setHeader(DeadLetterHeaders.REASON, method("orderDelivery", "reason"))
                .bean("orderDelivery", "refusalRef")
                // its id and time now: failed() keeps them with the letter (dead_letter_outbox)
                .process(DeadLetterRoutes::stamp)
                .setProperty(OrderDelivery.DEAD_LETTER_NOW, method("orderDelivery", "failed"))
                .filter(exchangeProperty(OrderDelivery.DEAD_LETTER_NOW))
                    .setProperty(DeadLetterRoutes.QUEUE, constant(QueueTopology.TO_EXTERNAL_DLQ))
                    .setProperty(DeadLetterRoutes.FROM_QUEUE, constant(QueueTopology.TO_EXTERNAL))
                    .to("direct:dead-letter").id("publish-order-dead-letter")
                    .bean("orderDelivery", "letterSent")
                .end();

        // Letters whose publish was never confirmed (broker error, crash after the FAILED commit).
        from("timer:dead-letter-relay?period={{aggregator.outbox.relay-period-ms}}&delay=1000")
                .routeId("dead-letter-relay")
                .routeConfigurationId("database-timers")
                .bean("schema", "requireReady")
                .bean("deadLetterRelay", "relay");
    }
}
