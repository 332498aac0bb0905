package dev.aggregator.config;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.connection.Connection;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.connection.ConnectionListener;

/**
 * Declares the contract's four durable queues each time a broker connection opens, so they exist
 * before any route publishes, even when the broker was down at start-up or was reset since; and each
 * vendor's lane queue (sync_to_external.<vendor>) when its lane starts or an order is routed to it,
 * again after every reconnect.
 */
public class QueueTopology implements ConnectionListener {

    public static final String FROM_EXTERNAL = "sync_from_external";
    public static final String FROM_EXTERNAL_DLQ = "sync_from_external_dlq";
    public static final String TO_EXTERNAL = "sync_to_external";
    public static final String TO_EXTERNAL_DLQ = "sync_to_external_dlq";
    public static final List<String> QUEUES = List.of(FROM_EXTERNAL, FROM_EXTERNAL_DLQ, TO_EXTERNAL, TO_EXTERNAL_DLQ);

    private static final Logger LOG = LoggerFactory.getLogger(QueueTopology.class);

    private final Map<String, Object> queueArguments;
    private final Map<String, Object> laneArguments;
    private final Set<String> lanes = ConcurrentHashMap.newKeySet();
    private final Set<String> declaredLanes = ConcurrentHashMap.newKeySet();
    private volatile ConnectionFactory connections;

    public QueueTopology(Map<String, Object> queueArguments) {
        this.queueArguments = queueArguments;
        Map<String, Object> lane = new HashMap<>(queueArguments);
        // One consumer in the whole cluster delivers a vendor's orders at a time: its throttle is the
        // vendor's rate limit for every instance together; when it goes, the broker picks the next.
        lane.put("x-single-active-consumer", true);
        this.laneArguments = Map.copyOf(lane);
    }

    public void connectWith(ConnectionFactory connections) {
        this.connections = connections;
    }

    @Override
    public void onCreate(Connection connection) {
        declaredLanes.clear();
        try (Channel channel = connection.createChannel(false)) {
            for (String queue : QUEUES) {
                channel.queueDeclare(queue, true, false, false, queueArguments);
            }
            for (String lane : lanes) {
                channel.queueDeclare(lane, true, false, false, laneArguments);
                declaredLanes.add(lane);
            }
            LOG.info("Declared queues {} and {} vendor lanes", QUEUES, lanes.size());
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            LOG.error("Could not declare queues {}: {}", QUEUES, e.getMessage());
        }
    }

    /** A vendor's lane queue. */
    public static String laneOf(String vendor) {
        return TO_EXTERNAL + "." + vendor;
    }

    /**
     * Where an order for this vendor is published: straight into the vendor's lane queue once it is
     * declared on the current connection (one broker hop), else sync_to_external, whose router moves it.
     */
    public String orderQueue(String vendor) {
        String lane = vendor == null ? null : laneOf(vendor);
        return lane != null && declaredLanes.contains(lane) ? lane : TO_EXTERNAL;
    }

    /** Declares a lane queue once per connection (a no-op after that). */
    public void declareLane(String queue) {
        lanes.add(queue);
        if (declaredLanes.contains(queue)) {
            return;
        }
        try (Connection connection = connections.createConnection(); Channel channel = connection.createChannel(false)) {
            channel.queueDeclare(queue, true, false, false, laneArguments);
            declaredLanes.add(queue);
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new org.springframework.amqp.AmqpIOException(new IOException("could not declare " + queue + ": " + e.getMessage(), e));
        }
    }
}
