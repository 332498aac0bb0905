package dev.aggregator.delivery;

import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.PropertyInject;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.dao.DataAccessException;

/**
 * How delivery fails, in one place. Every wait is asynchronous (asyncDelayedRedelivery): a retrying or
 * waiting order holds no thread, only its slot in the lane's prefetch.
 * - Transient vendor trouble (5xx, 429, time-out, refused): retried with exponential backoff while the
 *   order has attempts left, then dead-lettered.
 * - The lane's breaker is open: the order waits and asks again, attempts untouched, until the vendor is
 *   back or the order has waited longer than the limit.
 * - The vendor asked for a pause (429 or 503 with Retry-After): every order of the lane waits until it ends,
 *   attempts untouched; the order whose call got that answer spent one attempt.
 * - Anything else the vendor call ends with (a 4xx, a redirect, any other status or failure: see
 *   DeliveryFailures), an unusable message, a vendor no longer configured, a wait past the limit:
 *   dead-lettered at once. No outcome goes back to the broker uncounted (issue 23: a 302 did, ~10 PUTs/s).
 * - Our own database trouble is retried, then the message goes back to the broker (never dropped, and
 *   never counted as a vendor attempt: the transient rule skips any failure with a DataAccessException
 *   in its causes, so a dropped connection matches the database rule).
 */
public class DeliveryErrors extends RouteConfigurationBuilder {

    public static final String LANE = "delivery-lane-errors";
    public static final String ROUTER = "lane-router-errors";

    @BeanInject("lanes")
    private Lanes lanes;

    @BeanInject("orderDelivery")
    private OrderDelivery orderDelivery;

    @PropertyInject("aggregator.delivery.backoff-ms")
    private long backoff;

    @Override
    public void configuration() {
        LaneDefaults d = lanes.defaults();

        RouteConfigurationDefinition lane = routeConfiguration(LANE);
        lane.errorHandler(defaultErrorHandler().asyncDelayedRedelivery());
        // A vendor's pause (Retry-After) waits the same way, without counting attempts; its delay is the rest of
        // the pause, set per order by Lanes (CamelRedeliveryDelay), so it goes out when the pause ends.
        lane.onException(LaneOpenException.class, LanePausedException.class)
                .retryWhile(e -> true) // until the breaker lets a call through or admit says the wait is over
                .redeliveryDelay(d.recheckMillis())
                // Camel builds this policy on top of the one in force, which backs off exponentially: without
                // these two a waiting order rechecked after 2, 4, 8, 16 s (issue 23), not every recheck-ms.
                .backOffMultiplier(1.0)
                .maximumRedeliveryDelay(d.recheckMillis())
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.TRACE)
                .logRetryAttempted(false)
                .logExhausted(false)
                // its own (silent) redelivery step: Camel keeps the last policy's onRedelivery otherwise, and
                // every recheck of a waiting order was logged as a failed attempt
                .onRedelivery(e -> { });
        lane.onException(Exception.class)
                .onWhen(e -> DeliveryFailures.isTransient(caught(e)))
                .retryWhile(lanes::attemptsLeft)
                .redeliveryDelay(backoff).useExponentialBackOff().backOffMultiplier(2)
                // The redelivery counter also counts breaker waits: keep the backoff to its last step.
                .maximumRedeliveryDelay(backoff << Math.max(0, d.maxAttempts() - 2))
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .onRedelivery(e -> orderDelivery.retrying(e.getProperty(OrderDelivery.ORDER_ID, String.class),
                        e.getProperty(OrderDelivery.VENDOR, String.class), e.getProperty(OrderDelivery.ATTEMPTS, 0, Integer.class), caught(e)))
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .logStackTrace(false)
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
        lane.onException(Exception.class)
                .onWhen(e -> DeliveryFailures.isPermanent(caught(e)))
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
        lane.onException(InvalidOrderMessageException.class, OrderExpiredException.class)
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
        // Cancelled while it waited (Lanes.calling): nothing was sent; acknowledged, no dead letter, no retry.
        lane.onException(OrderNotPendingException.class)
                .handled(true)
                .logExhausted(false)
                .log(LoggingLevel.INFO, "dev.aggregator.delivery.OrderDelivery",
                        "order ${exchangeProperty.orderId}: no longer PENDING (cancelled) when its call was due: not sent");
        lane.onException(DataAccessException.class)
                .maximumRedeliveries(5).redeliveryDelay(1000)
                .asyncDelayedRedelivery()
                .retryAttemptedLogLevel(LoggingLevel.DEBUG);

        // The router only reads the message and moves it to its lane: an unusable message or a vendor no
        // longer configured is dead-lettered (the order FAILED), anything else goes back to the broker.
        RouteConfigurationDefinition router = routeConfiguration(ROUTER);
        router.onException(InvalidOrderMessageException.class)
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
    }

    private static Throwable caught(Exchange e) {
        return e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
    }
}
