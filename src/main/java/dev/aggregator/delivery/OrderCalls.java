package dev.aggregator.delivery;

import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * What the cancel of an order (OrderCancel) needs to know from the lanes: whether a vendor call for it may
 * have reached the vendor. The lane reads the order when its message arrives, but between that and the call
 * lie the rate limit, the breaker and retries (seconds to an hour): the order is checked again, under its
 * row lock, at the last moment before each call (call-starting.sql), and counted as being sent until the
 * vendor has refused the call or could not be reached (call-refused.sql).
 */
public class OrderCalls {

    private static final Logger LOG = LoggerFactory.getLogger(OrderCalls.class);

    private final NamedParameterJdbcTemplate jdbc;
    private final Lanes lanes;

    public OrderCalls(NamedParameterJdbcTemplate jdbc, Lanes lanes) {
        this.jdbc = jdbc;
        this.lanes = lanes;
    }

    /**
     * Just before a call: the order is still PENDING and now counted as being sent; else (cancelled, or
     * finished by another copy while this one waited) OrderNotPendingException: its permit goes back and
     * nothing is sent.
     */
    public void starting(Exchange exchange) {
        String orderId = exchange.getProperty(OrderDelivery.ORDER_ID, String.class);
        boolean pending;
        try {
            pending = !jdbc.queryForList(ClasspathText.load("sql/delivery/call-starting.sql"),
                    Map.of("orderId", UUID.fromString(orderId)), Integer.class).isEmpty();
        } catch (RuntimeException e) {
            lanes.unusedPermit(exchange); // our database: the lane's rule retries from the admission
            throw e;
        }
        if (!pending) {
            lanes.unusedPermit(exchange);
            throw new OrderNotPendingException(orderId);
        }
    }

    /** After a failed call: when the vendor surely does not hold the order from it, it is no longer being sent. */
    public void answered(Exchange exchange) {
        if (!DeliveryFailures.notReceived(exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class))) {
            return; // a time-out, a reset: the vendor may have it; the order stays uncancellable
        }
        String orderId = exchange.getProperty(OrderDelivery.ORDER_ID, String.class);
        try {
            jdbc.update(ClasspathText.load("sql/delivery/call-refused.sql"), Map.of("orderId", UUID.fromString(orderId)));
        } catch (RuntimeException e) {
            // left raised: that only refuses a cancel, never lets one through
            LOG.debug("Could not note the refused call of order {}: {}", orderId, e.getMessage());
        }
    }
}
