package dev.aggregator.order;

import dev.aggregator.config.QueueTopology;
import dev.aggregator.config.Settings;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;

/**
 * Orders: intake (REST → reservation transaction → outbox → sync_to_external), the outbox relay, and
 * delivery to the vendor (sync_to_external → throttled PUT → SYNCED, or FAILED + sync_to_external_dlq).
 */
public class OrderRoutes extends RouteBuilder {

    static final String DEAD_LETTER = "spring-rabbitmq:default?routingKey=" + QueueTopology.TO_EXTERNAL_DLQ + "&confirm=enabled";

    @Override
    public void configure() {
        Settings settings = getContext().getRegistry().lookupByNameAndType("settings", Settings.class);

        from("direct:place-order")
                .routeId("place-order")
                .routeConfigurationId("http-problems")
                .bean("orderIntake", "handle");

        from("direct:get-order")
                .routeId("get-order")
                .routeConfigurationId("http-problems")
                .bean("orderQueries", "one")
                .to("direct:json-answer");

        from("direct:list-orders")
                .routeId("list-orders")
                .routeConfigurationId("http-problems")
                .bean("orderQueries", "list")
                .to("direct:json-answer");

        // Orders the fast path could not publish (broker down, crash after commit) go out from here.
        from("timer:outbox-relay?period={{aggregator.outbox.relay-period-ms}}&delay=1000")
                .routeId("outbox-relay")
                .routeConfigurationId("database-timers")
                .bean("schema", "requireReady")
                .bean("outboxPublisher", "relay");

        // Acknowledged only when the route is done: SYNCED, or FAILED and dead-lettered, or a redelivery
        // of a finished order. Anything else (our database down) is requeued by the broker.
        from("spring-rabbitmq:default?queues=" + QueueTopology.TO_EXTERNAL
                + "&acknowledgeMode=AUTO&rejectAndDontRequeue=false&maximumRetryAttempts=1"
                + "&concurrentConsumers={{aggregator.delivery.consumers}}&prefetchCount={{aggregator.delivery.prefetch}}")
                .routeId("order-delivery")
                .routeConfigurationId("order-delivery-errors")
                .bean("orderDelivery", "prepare")
                .filter(exchangeProperty(OrderDelivery.PENDING))
                    .to("direct:vendor-put").id("call-vendor")
                    .bean("orderDelivery", "confirmed")
                .end();

        // Its own route so that each redelivery passes the throttle again: retries count against the
        // vendor's rate limit like first tries. No error handler here: the caller's decides.
        from("direct:vendor-put")
                .routeId("vendor-put")
                .errorHandler(noErrorHandler())
                .throttle(constant(settings.throttleRequests())).timePeriodMillis(settings.throttlePeriodMillis())
                    .totalRequestsMode().correlationExpression(exchangeProperty(OrderDelivery.VENDOR))
                .bean("orderDelivery", "countAttempt")
                // One static endpoint with the URL in a header: a toD per product URL created (and cached)
                // an HTTP endpoint per product, 3 % of delivery CPU in the profile (bench/results/history.md).
                .setHeader(Exchange.HTTP_URI, exchangeProperty(OrderDelivery.PUT_URL))
                .to("http://vendor").id("vendor-http-put");

        // The order is marked FAILED first (guarded by status = PENDING) and only the delivery that made
        // that change publishes the dead letter, so duplicates of one order never leave two letters.
        from("direct:order-dead-letter")
                .routeId("order-dead-letter")
                .bean("orderDelivery", "deadLetterHeaders")
                .bean("orderDelivery", "failed")
                .filter(exchangeProperty(OrderDelivery.DEAD_LETTER_NOW))
                    .log(LoggingLevel.WARN, "dev.aggregator.order.dlq",
                            "Order ${exchangeProperty.orderId} dead-lettered after ${header.x-attempts} attempt(s): ${header.x-failure-reason}")
                    .to(DEAD_LETTER).id("publish-order-dead-letter")
                .end();
    }
}
