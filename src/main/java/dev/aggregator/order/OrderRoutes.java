package dev.aggregator.order;

import dev.aggregator.support.ConditionalAnswer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Orders: intake (REST → reservation transaction → outbox → sync_to_external), reads, and the outbox
 * relay. Delivery to the vendors is in dev.aggregator.delivery.
 */
public class OrderRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // The bean decides (accepted, or a problem); the route says what that is in HTTP.
        from("direct:place-order")
                .routeId("place-order")
                .routeConfigurationId("http-problems")
                .bean("orderIntake", "handle")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Location", simple("/orders/${body.orderId}"))
                .filter(simple("${body.replayed}"))
                    .setHeader("Idempotent-Replayed", constant("true"))
                .end()
                .setBody(simple("${body.body}"));

        // POST /orders: a cart, reserved whole or not at all (CartIntake)
        from("direct:place-cart")
                .routeId("place-cart")
                .routeConfigurationId("http-problems")
                .bean("cartIntake", "handle")
                .removeHeaders("*")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(202))
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setHeader("Location", simple("/carts/${body.cartId}"))
                .filter(simple("${body.replayed}"))
                    .setHeader("Idempotent-Replayed", constant("true"))
                .end()
                .setBody(simple("${body.body}"));

        from("direct:get-cart")
                .routeId("get-cart")
                .routeConfigurationId("http-problems")
                .bean("cartQueries", "one")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

        // POST /orders/{orderId}/cancel: 200 with the order CANCELLED, or a 409 saying why not (OrderCancel)
        from("direct:cancel-order")
                .routeId("cancel-order")
                .routeConfigurationId("http-problems")
                .bean("orderCancel", "cancel")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                .setBody(simple("${body.body}"));

        from("direct:get-order")
                .routeId("get-order")
                .routeConfigurationId("http-problems")
                .bean("orderQueries", "one")
                .process(ConditionalAnswer::respond).id("conditional-order");

        from("direct:list-orders")
                .routeId("list-orders")
                .routeConfigurationId("http-problems")
                .bean("orderQueries", "list")
                .process(ConditionalAnswer::respond).id("conditional-orders");

        // Orders the fast path could not publish (broker down, crash after commit) go out from here.
        from("timer:outbox-relay?period={{aggregator.outbox.relay-period-ms}}&delay=1000")
                .routeId("outbox-relay")
                .routeConfigurationId("database-timers")
                .bean("schema", "requireReady")
                .bean("outboxPublisher", "relay");

        // aggregator.orders.retention-days (0 = keep every order): finished orders past it are deleted.
        from("timer:order-retention?period={{aggregator.orders.retention-period-ms}}&delay=5000")
                .routeId("order-retention")
                .routeConfigurationId("database-timers")
                .filter(method("orderRetention", "enabled"))
                    .bean("schema", "requireReady")
                    .bean("orderRetention", "purge")
                .end();
    }
}
