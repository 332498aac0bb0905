package dev.aggregator.config;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

import com.rabbitmq.client.ReturnListener;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.rabbit.connection.PublisherCallbackChannel;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.amqp.rabbit.support.DefaultMessagePropertiesConverter;
import org.springframework.amqp.rabbit.support.MessagePropertiesConverter;

/**
 * Publishes messages straight to queues (the default exchange) as mandatory, and waits for the broker's
 * confirms. A confirm alone says nothing about a queue that does not exist: the broker confirms such a
 * message and drops it (issue 23: a deleted lane queue swallowed orders). Mandatory makes the broker
 * return it first, and what was returned is answered, never counted as delivered; the topology hears of
 * the missing queue.
 */
public class QueuePublisher {

    /** One message and the queue it goes to. */
    public record Outgoing(String queue, Message message) {
    }

    private final RabbitTemplate rabbit;
    private final QueueTopology topology;
    private final MessagePropertiesConverter converter = new DefaultMessagePropertiesConverter();

    public QueuePublisher(RabbitTemplate rabbit, QueueTopology topology) {
        this.rabbit = rabbit;
        this.topology = topology;
    }

    /**
     * Publishes all on one channel and waits for every confirm; answers the positions of the messages the
     * broker returned (their queue does not exist). Throws if the broker is away, nacks, or does not
     * confirm within the time-out: then none of them counts as sent.
     */
    public BitSet publish(List<Outgoing> messages, long confirmTimeoutMillis) {
        BitSet returned = rabbit.execute(channel -> {
            BitSet r = new BitSet();
            // Returns arrive on the connection's thread before the acks of the same messages, in publish
            // order, so each is matched to the first not-yet-returned message with its queue and id.
            ReturnListener listener = (code, text, exchange, routingKey, properties, body) -> {
                synchronized (r) {
                    for (int i = 0; i < messages.size(); i++) {
                        Outgoing o = messages.get(i);
                        if (!r.get(i) && o.queue().equals(routingKey)
                                && Objects.equals(o.message().getMessageProperties().getMessageId(), properties.getMessageId())) {
                            r.set(i);
                            return;
                        }
                    }
                }
            };
            channel.addReturnListener(listener);
            try {
                for (Outgoing o : messages) {
                    // Spring's channel looks up a listener for every return by this header and logs an ERROR
                    // for a message without it; with a value no listener has, it leaves the return to ours.
                    o.message().getMessageProperties().setHeader(PublisherCallbackChannel.RETURN_LISTENER_CORRELATION_KEY, "queue-publisher");
                    channel.basicPublish("", o.queue(), true,
                            converter.fromMessageProperties(o.message().getMessageProperties(), StandardCharsets.UTF_8.name()),
                            o.message().getBody());
                }
                channel.waitForConfirmsOrDie(confirmTimeoutMillis);
            } finally {
                channel.removeReturnListener(listener);
            }
            synchronized (r) {
                return (BitSet) r.clone();
            }
        });
        if (returned != null) {
            returned.stream().mapToObj(i -> messages.get(i).queue()).distinct().forEach(topology::unroutable);
        }
        return returned == null ? new BitSet() : returned;
    }
}
