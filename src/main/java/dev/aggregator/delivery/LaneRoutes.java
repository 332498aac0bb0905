package dev.aggregator.delivery;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * One vendor's lane: its queue → the order still PENDING? → the vendor call → SYNCED. Added at run time
 * per vendor (Lanes.start). The consumer is asynchronous: the listener thread hands each message to the
 * routing engine and takes the next, so up to `concurrency` orders are in flight, none holding a thread
 * while the vendor answers, waits out a rate limit, or waits for a retry.
 */
class LaneRoutes extends RouteBuilder {

    private final Lane lane;

    /** The registry's "orderDelivery", found at the first message (the routes are built before it may be bound). */
    private volatile OrderDelivery delivery;

    LaneRoutes(Lane lane) {
        this.lane = lane;
    }

    private OrderDelivery delivery(Exchange exchange) {
        OrderDelivery found = delivery;
        if (found == null) {
            found = exchange.getContext().getRegistry().lookupByNameAndType("orderDelivery", OrderDelivery.class);
            delivery = found;
        }
        return found;
    }

    private static OrderToDeliver order(Exchange exchange) {
        return exchange.getProperty(OrderDelivery.ORDER, OrderToDeliver.class);
    }

    @Override
    public void configure() {
        String v = lane.vendor();
        // Single active consumer (the queue's argument) makes one instance in the cluster the lane's
        // sender, so its throttle is the vendor's limit for the whole cluster; the broker fails over.
        from("spring-rabbitmq:default?queues=" + lane.queue()
                + "&asyncConsumer=true&acknowledgeMode=MANUAL&concurrentConsumers=1&prefetchCount=" + lane.concurrency())
                .routeId("delivery-lane-" + v)
                .routeConfigurationId(DeliveryErrors.LANE)
                .process(new LaneAck()).id("lane-ack-" + v)
                .setProperty(OrderDelivery.VENDOR, constant(v))
                .setProperty(OrderDelivery.ATTEMPTS, constant(0))
                // the message's trace context, for the spans of ours in this lane (waits, the confirm)
                .setProperty(CallSpan.TRACEPARENT, header(dev.aggregator.support.Tracing.TRACEPARENT))
                // Off the lane's one consumer thread before the order's first database read: on it, every order's
                // read waited for PostgreSQL in turn, and while a backlog waited the lane's calls in flight swung
                // between 8 and 64 of 64 (issue 28). The prefetch still bounds how many are taken.
                .threads().executorService(Lanes.WORKERS).id("read-handoff-" + v)
                // OrderDelivery's steps as plain calls, not method(...) and simple expressions: the bean language's
                // binding per step took a quarter of the lane's CPU in the intake profile (issue 28)
                .process(e -> e.setProperty(OrderDelivery.ORDER_ID, delivery(e).orderId(e.getMessage().getBody(byte[].class))))
                    .id("order-id-" + v)
                .process(e -> e.setProperty(OrderDelivery.ORDER, delivery(e).read(e.getProperty(OrderDelivery.ORDER_ID, String.class))))
                    .id("read-order-" + v)
                .bean("lanes", "hold").id("hold-order-" + v)
                .filter(e -> {
                    OrderToDeliver order = order(e);
                    return order != null && order.pending();
                })
                    .process(e -> e.setProperty(OrderDelivery.PUT_URL, delivery(e).putUrl(order(e)))).id("put-url-" + v)
                    // the contract's PUT: the order as JSON, keyed by its id so the vendor applies it once
                    .removeHeaders("*")
                    .process(e -> e.getMessage().setHeader(Exchange.HTTP_METHOD, delivery(e).method(order(e)))).id("put-method-" + v)
                    .setHeader(Exchange.CONTENT_TYPE, constant("application/json"))
                    .setHeader("Idempotency-Key", exchangeProperty(OrderDelivery.ORDER_ID))
                    .bean("vendorRegistry", "authorize").id("vendor-credentials-" + v)
                    .bean("orderDelivery", "orderHeaders").id("order-headers-" + v)
                    .process(e -> e.getMessage().setBody(delivery(e).putBody(order(e)))).id("put-body-" + v)
                    .to("direct:vendor-call-" + v).id("call-vendor-" + v)
                    // vertx-http hands each answer to an *ordered* executeBlocking of its event loop: left
                    // there, every confirm of the lanes sharing that loop ran one after another. The
                    // confirm (a database write) and the ack go on the delivery workers instead.
                    .threads().executorService(Lanes.WORKERS).id("confirm-handoff-" + v)
                    .process(e -> e.setProperty(OrderDelivery.VENDOR_REF, delivery(e).vendorRef(order(e), e.getMessage().getBody(String.class),
                            e.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class),
                            e.getProperty(OrderDelivery.ROUTE_VENDOR_REF_GIVEN, String.class)))).id("vendor-ref-" + v)
                    .bean("orderDelivery", "confirmed").id("confirm-order-" + v)
                .end();

        // Its own route so that each retry passes the breaker and the throttle again: retries count
        // against the vendor's rate limit like first tries. No error handler here: the lane's decides.
        from("direct:vendor-call-" + v)
                .routeId("vendor-call-" + v)
                .errorHandler(noErrorHandler())
                .bean("lanes", "admit")
                .throttle(constant(lane.throttleRequests())).timePeriodMillis(lane.throttlePeriodMillis())
                    .totalRequestsMode().asyncDelayed()
                // the last moment before the call: still PENDING (not cancelled while it waited)? A database
                // write (OrderCalls), so on a delivery worker, not on the throttle's timer thread
                .threads().executorService(Lanes.WORKERS).id("calling-handoff-" + v)
                .bean("orderCalls", "starting").id("call-starting-" + v)
                .bean("lanes", "calling")
                .process(CallSpan::calling).id("call-span-" + v)
                // One endpoint per lane with the product's URL in a header (an endpoint per URL would be
                // created and cached per product).
                .setHeader(Exchange.HTTP_URI, exchangeProperty(OrderDelivery.PUT_URL))
                .doTry()
                    .to(lane.orderRoute() == null
                            ? "vertx-http:http://vendor-" + v + "?webClientOptions=#" + Lanes.clientOptionsName(v)
                                    + "&timeout=" + lane.timeoutMillis() + "&okStatusCodeRange=" + lane.acceptedStatuses()
                            : "direct:vendor-order-route-" + v).id("vendor-http-put-" + v)
                    .process(CallSpan::answered).id("call-span-answer-" + v)
                    .bean("lanes", "succeeded")
                .doCatch(Exception.class)
                    // on the answering thread, before the hand-off: the lane's next calls already see the pause
                    .bean("lanes", "pauseIfAsked").id("retry-after-" + v)
                    .process(CallSpan::answered).id("call-span-failure-" + v)
                    // Like the confirm: off vertx-http's ordered executeBlocking, so marking an order FAILED and
                    // publishing its dead letter (database writes, a confirm wait) holds up no other answer.
                    .threads().executorService(Lanes.WORKERS).id("failure-handoff-" + v)
                    .bean("orderCalls", "answered").id("call-answered-" + v)
                    .bean("lanes", "failed")
                .end();

        if (lane.orderRoute() != null) {
            // A vendor of its own (README "A vendor of its own"): its file's route sends the order however that
            // vendor wants it. On a delivery worker, because a route may block (a synchronous HTTP call, a login
            // first), and neither the lane's listener nor the throttle's timer may wait for it. Its answer is read
            // as an HTTP answer: a CamelHttpResponseCode outside orderAccepted fails as that status would.
            from("direct:vendor-order-route-" + v)
                    .routeId("vendor-order-route-" + v)
                    .errorHandler(noErrorHandler())
                    .threads().executorService(Lanes.WORKERS)
                    .bean("orderDelivery", "toRoute")
                    .to(lane.orderRoute()).id("vendor-order-route-call-" + v)
                    .bean("orderDelivery", "answered");
        }
    }
}
