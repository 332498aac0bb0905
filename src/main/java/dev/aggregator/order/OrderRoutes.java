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
        // The bean decides (accepted, or a problem); AcceptedAnswer says what that is in HTTP.
        from("direct:place-order")
                .routeId("place-order")
                .routeConfigurationId("http-problems")
                .process("placeOrder").id("order-intake")
                .process(AcceptedAnswer::order).id("order-accepted");

        // POST /orders: a cart, reserved whole or not at all (CartIntake)
        from("direct:place-cart")
                .routeId("place-cart")
                .routeConfigurationId("http-problems")
                .process("placeCart").id("cart-intake")
                .process(AcceptedAnswer::cart).id("cart-accepted");

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
