package dev.aggregator.config;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import com.rabbitmq.client.Channel;
import org.apache.camel.util.ObjectHelper;
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
        if (!declaredLanes.contains(queue)) {
            ensureLane(queue);
        }
    }

    /**
     * Declares a lane queue now, whether or not it was declared before (a queue deleted or lost in a cluster
     * is made anew), and answers how many consumers it has. Throws while the broker cannot be reached.
     */
    public int ensureLane(String queue) {
        lanes.add(queue);
        try (Connection connection = connections.createConnection(); Channel channel = connection.createChannel(false)) {
            int consumers = channel.queueDeclare(queue, true, false, false, laneArguments).getConsumerCount();
            declaredLanes.add(queue);
            return consumers;
        } catch (IOException | java.util.concurrent.TimeoutException e) {
            throw new org.springframework.amqp.AmqpIOException(new IOException("could not declare " + queue + ": " + e.getMessage(), e));
        }
    }

    /**
     * The broker returned a message published to this queue: it does not exist (deleted, lost in a cluster).
     * Orders go through sync_to_external again, whose router declares the lane queue before it publishes;
     * a contract queue is declared again at once.
     */
    public void unroutable(String queue) {
        if (declaredLanes.remove(queue)) {
            LOG.warn("Lane queue {} does not exist on the broker (deleted?): orders go through {} until it is declared again", queue, TO_EXTERNAL);
        } else if (QUEUES.contains(queue)) {
            LOG.warn("Queue {} does not exist on the broker (deleted?): declaring it again", queue);
            try (Connection connection = connections.createConnection(); Channel channel = connection.createChannel(false)) {
                channel.queueDeclare(queue, true, false, false, queueArguments);
            } catch (IOException | java.util.concurrent.TimeoutException | RuntimeException e) {
                LOG.debug("Could not declare {} again: {}", queue, e.getMessage());
            }
        }
    }

    /**
     * Messages ready (not handed to a consumer) in a queue; 0 for a queue that does not exist. Throws while
     * the broker cannot be reached.
     */
    public long readyMessages(String queue) {
        try (Connection connection = connections.createConnection(); Channel channel = connection.createChannel(false)) {
            return channel.queueDeclarePassive(queue).getMessageCount();
        } catch (IOException e) {
            if (ObjectHelper.getException(com.rabbitmq.client.ShutdownSignalException.class, e) != null
                    && String.valueOf(e.getCause()).contains("NOT_FOUND")) {
                return 0;
            }
            throw new org.springframework.amqp.AmqpIOException(e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new org.springframework.amqp.AmqpIOException(new IOException(e));
        }
    }
}
