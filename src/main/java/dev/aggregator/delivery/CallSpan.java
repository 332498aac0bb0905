package dev.aggregator.delivery;

import dev.aggregator.support.Tracing;
import org.apache.camel.Exchange;

/**
 * What one vendor call's span says (the vendor-call route's span, one per attempt): the order, the vendor,
 * the attempt and the vendor's status. Never the request's headers: they hold the vendor's credentials.
 */
final class CallSpan {

    private CallSpan() {
    }

    /** Since when the order has been waiting for its next call (epoch ms), and why, beside the rate limit. */
    static final String WAIT_FROM = "traceWaitFrom";
    static final String WAIT_CAUSES = "traceWaitCauses";
    /** The order message's traceparent as it arrived in the lane (its headers are cleared before the call). */
    static final String TRACEPARENT = "traceMessageParent";

    /**
     * Lanes.admit refused the call for now (breaker open, Retry-After pause): the wait goes on, and says why.
     * The order comes back after a redelivery delay and passes admit again.
     */
    static void waiting(Exchange exchange, String cause) {
        String causes = exchange.getProperty(WAIT_CAUSES, String.class);
        if (causes == null || !java.util.List.of(causes.split(",")).contains(cause)) {
            exchange.setProperty(WAIT_CAUSES, causes == null ? cause : causes + "," + cause);
        }
    }

    /** After Lanes.calling counted the attempt, before the request leaves. */
    static void calling(Exchange exchange) {
        // The wait before this attempt, as a span of its own (issue 27: "time spent waiting for the throttle, the
        // breaker or a Retry-After visible as such"): from the lane's receipt of the order, or the last attempt's
        // answer, to now. Every attempt passes the throttle; the other causes are those admit or a failure named.
        if (!Tracing.enabled()) {
            return; // nothing below is used without spans: no per-attempt work on the lane's hot path
        }
        Long from = exchange.getProperty(WAIT_FROM, Long.class);
        long start = from != null ? from : exchange.getClock().getCreated();
        String causes = exchange.getProperty(WAIT_CAUSES, String.class);
        Tracing.waited("lane wait", exchange.getProperty(TRACEPARENT, String.class), start, java.util.Map.of(
                "wait.cause", causes == null ? "throttle" : causes + ",throttle",
                "wait.ms", Math.max(0, System.currentTimeMillis() - start),
                // the attempt it came before, under its own name: the call's span is the one carrying order.attempt
                "wait.before_attempt", String.valueOf(exchange.getProperty(OrderDelivery.ATTEMPTS, Integer.class))));
        exchange.removeProperty(WAIT_CAUSES);
        Tracing.tag(exchange, "order.id", exchange.getProperty(OrderDelivery.ORDER_ID, String.class));
        Tracing.tag(exchange, "vendor", exchange.getProperty(OrderDelivery.VENDOR, String.class));
        Tracing.tag(exchange, "order.attempt", exchange.getProperty(OrderDelivery.ATTEMPTS, Integer.class));
    }

    /** The answer: its status (a failure's, or 0 for none: a time-out, a refused connection). */
    static void answered(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Integer status = failure != null ? Integer.valueOf(DeliveryFailures.status(failure))
                : exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status != null && status > 0) {
            Tracing.tag(exchange, "http.response.status_code", status);
        }
        if (failure != null) {
            Tracing.tag(exchange, "error.type", failure.getClass().getSimpleName());
            // the next attempt, if any, waits from here: a retry's backoff first
            exchange.setProperty(WAIT_FROM, System.currentTimeMillis());
            waiting(exchange, "retry-backoff");
        }
    }
}
