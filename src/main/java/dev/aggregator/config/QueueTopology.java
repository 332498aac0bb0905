package dev.aggregator.config;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Declares the contract's four durable queues each time a broker connection opens, so they exist
 * before any route publishes, even when the broker was down at start-up or was reset since.
 */
public class QueueTopology implements ConnectionListener {

    public static final String FROM_EXTERNAL = "sync_from_external";
    public static final String FROM_EXTERNAL_DLQ = "sync_from_external_dlq";
    public static final String TO_EXTERNAL = "sync_to_external";
    public static final String TO_EXTERNAL_DLQ = "sync_to_external_dlq";
    public static final List<String> QUEUES = List.of(FROM_EXTERNAL, FROM_EXTERNAL_DLQ, TO_EXTERNAL, TO_EXTERNAL_DLQ);

    private static final Logger LOG = LoggerFactory.getLogger(QueueTopology.class);

    private final Map<String, Object> queueArguments;

    public QueueTopology(Map<String, Object> queueArguments) {
        this.queueArguments = queueArguments;
    }

    @Override
    public void onCreate(Connection connection) {
        try (Channel channel = connection.createChannel(false)) {
            for (String queue : QUEUES) {
                channel.queueDeclare(queue, true, false, false, queueArguments);
            }
            LOG.info("Declared queues {}", QUEUES);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            LOG.error("Could not declare queues {}: {}", QUEUES, e.getMessage());
        }
    }
}
