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

    /** After Lanes.calling counted the attempt, before the request leaves. */
    static void calling(Exchange exchange) {
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
        }
    }
}
