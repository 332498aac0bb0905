package dev.aggregator.delivery;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.QueuePublisher;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.vendor.VendorRegistry;
import dev.aggregator.support.Tracing;
import org.apache.camel.Exchange;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;

/**
 * Moves an order message from sync_to_external to its vendor's lane queue (the vendor must still be
 * configured), confirmed and mandatory: the router's consumer acknowledges only once the broker holds the
 * copy in a queue that exists.
 */
public class LaneRouter {

    private final ObjectMapper json;
    private final VendorRegistry vendors;
    private final QueueTopology topology;
    private final QueuePublisher publisher;
    private final long confirmTimeoutMillis;

    public LaneRouter(ObjectMapper json, VendorRegistry vendors, QueueTopology topology, QueuePublisher publisher, long confirmTimeoutMillis) {
        this.json = json;
        this.vendors = vendors;
        this.topology = topology;
        this.publisher = publisher;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
    }

    public void route(Exchange exchange) {
        byte[] body = exchange.getMessage().getBody(byte[].class);
        OrderMessage message = OrderMessage.read(json, body);
        exchange.setProperty(OrderDelivery.ORDER_ID, message.orderId().toString());
        String vendor = message.vendor();
        if (vendor == null) {
            throw new InvalidOrderMessageException("message names no vendor");
        }
        exchange.setProperty(OrderDelivery.VENDOR, vendor);
        if (vendors.find(vendor).isEmpty()) {
            throw new VendorGoneException(vendor);
        }
        String queue = Lane.queueOf(vendor);
        Message copy = copy(message.orderId().toString(), body);
        // Our publish, not a Camel endpoint: its span (child of the router's, the current one) and the
        // traceparent the lane's consumer continues from are ours to make.
        io.opentelemetry.api.trace.Span span = Tracing.publishSpan(queue, null, message.orderId().toString());
        Tracing.inject(span, copy.getMessageProperties());
        try {
            send(queue, copy);
        } catch (RuntimeException e) {
            span.setStatus(io.opentelemetry.api.trace.StatusCode.ERROR, String.valueOf(e.getMessage()));
            throw e;
        } finally {
            span.end();
        }
    }

    private void send(String queue, Message copy) {
        // Declared once per connection; a queue deleted since returns the message, is declared again, and
        // the copy goes once more. Still returned: the exception sends the original back to sync_to_external.
        for (int tries = 0; tries < 2; tries++) {
            topology.declareLane(queue);
            if (publisher.publish(List.of(new QueuePublisher.Outgoing(queue, copy)), confirmTimeoutMillis).isEmpty()) {
                return;
            }
        }
        throw new IllegalStateException("lane queue " + queue + " returned the order twice (it does not exist); the message goes back to "
                + QueueTopology.TO_EXTERNAL);
    }

    private static Message copy(String orderId, byte[] body) {
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setMessageId(orderId);
        props.setHeader(dev.aggregator.support.DeadLetterHeaders.ORDER_ID, orderId);
        return new Message(body, props);
    }
}
