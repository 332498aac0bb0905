package dev.aggregator.delivery;

import java.io.IOException;

import com.rabbitmq.client.Channel;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;
import org.apache.camel.support.SynchronizationAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acknowledges a lane message when its exchange is done, whichever thread finishes it: the lane consumes
 * asynchronously (many orders in flight on one consumer), so the listener cannot acknowledge on return.
 * Done (SYNCED, FAILED and dead-lettered, or a finished order's duplicate): ack. Failed (our database
 * down, shutting down): nack with requeue, so the broker hands it out again. The prefetch bounds how
 * many are unacknowledged, i.e. in flight; a crash leaves them to the broker, which redelivers them.
 */
public class LaneAck implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(LaneAck.class);

    @Override
    public void process(Exchange exchange) {
        Channel channel = exchange.getProperty(SpringRabbitMQConstants.CHANNEL, Channel.class);
        Long tag = exchange.getMessage().getHeader(SpringRabbitMQConstants.DELIVERY_TAG, Long.class);
        if (channel == null || tag == null) {
            throw new IllegalStateException("lane message without its channel or delivery tag");
        }
        exchange.getExchangeExtension().addOnCompletion(new SynchronizationAdapter() {
            @Override
            public void onComplete(Exchange done) {
                settle(channel, tag, true);
            }

            @Override
            public void onFailure(Exchange failed) {
                settle(channel, tag, false);
            }
        });
    }

    private static void settle(Channel channel, long tag, boolean ack) {
        try {
            // One frame per call; the channel is shared by the lane's in-flight exchanges.
            synchronized (channel) {
                if (ack) {
                    channel.basicAck(tag, false);
                } else {
                    channel.basicNack(tag, false, true);
                }
            }
        } catch (IOException | RuntimeException e) {
            // The channel closed under us (broker restart): the broker requeues the message itself.
            LOG.debug("Could not {} delivery {}: {}", ack ? "ack" : "nack", tag, e.getMessage());
        }
    }
}
