package dev.aggregator.ops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.GetResponse;
import dev.aggregator.support.ProblemException;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.support.DeadLetterHeaders;
import dev.aggregator.order.OrderReplay;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The operators' view of the two dead-letter queues: browse (nothing consumed, order kept), replay one or
 * all, discard one. RabbitMQ cannot peek, so each operation takes the messages unacknowledged on one
 * channel, acknowledges only what it removes, and requeues the rest in their original order.
 */
public class DeadLetters {

    public static final Set<String> QUEUES = Set.of(QueueTopology.TO_EXTERNAL_DLQ, QueueTopology.FROM_EXTERNAL_DLQ);
    static final int MAX = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);

    private final RabbitTemplate rabbit;
    private final OrderReplay orders;

    public DeadLetters(RabbitTemplate rabbit, OrderReplay orders) {
        this.rabbit = rabbit;
        this.orders = orders;
    }

    public Map<String, Object> browse(@Header("queue") String queue, @Header("limit") String limit) {
        check(queue);
        int max = dev.aggregator.support.QueryParams.integer("limit", limit, 100, 1, 1000);
        List<Map<String, Object>> letters = new ArrayList<>();
        long total = visit(queue, m -> {
            if (letters.size() < max) {
                letters.add(view(queue, m));
            }
            return false;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue", queue);
        answer.put("total", total);
        answer.put("deadLetters", letters);
        return answer;
    }

    /** Replays one dead letter (messageId given) or all of them. */
    public synchronized Map<String, Object> replay(@Header("queue") String queue, @Header("messageId") String messageId) {
        check(queue);
        List<String> replayed = new ArrayList<>();
        List<Map<String, Object>> refused = new ArrayList<>();
        visit(queue, m -> {
            String id = id(m);
            if (messageId != null && !messageId.equals(id)) {
                return false;
            }
            String problem = replayOne(queue, m);
            if (problem == null) {
                replayed.add(id);
                return true;
            }
            refused.add(Map.of("messageId", id, "reason", problem));
            return false;
        });
        if (messageId != null && replayed.isEmpty() && refused.isEmpty()) {
            throw ProblemException.notFound("no dead letter " + messageId + " in " + queue);
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("queue", queue);
        answer.put("replayed", replayed);
        answer.put("refused", refused);
        return answer;
    }

    public synchronized Map<String, Object> discard(@Header("queue") String queue, @Header("messageId") String messageId) {
        check(queue);
        List<Map<String, Object>> removed = new ArrayList<>();
        visit(queue, m -> {
            if (!removed.isEmpty() || !messageId.equals(id(m))) {
                return false;
            }
            removed.add(view(queue, m));
            return true;
        });
        if (removed.isEmpty()) {
            throw ProblemException.notFound("no dead letter " + messageId + " in " + queue);
        }
        Map<String, Object> letter = removed.get(0);
        LOG.warn("Dead letter {} discarded from {} by an operator (order {}, reason: {})",
                messageId, queue, letter.get("orderId"), letter.get("reason"));
        return Map.of("queue", queue, "discarded", letter);
    }

    /** Depth of a queue without touching its messages. */
    /**
     * POST /admin/orders/{orderId}/replay: a FAILED order back to PENDING with its stock reserved again,
     * by its id, whether or not its letter is still in the queue (the letter, if any, is then stale).
     */
    public Map<String, Object> replayOrder(@Header("orderId") String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId);
        } catch (RuntimeException e) {
            throw ProblemException.badRequest("'" + orderId + "' is not an order id (a UUID)");
        }
        OrderReplay.Outcome outcome = orders.replay(id);
        if (!outcome.replayed()) {
            if (outcome.reason() != null && outcome.reason().endsWith("does not exist")) {
                throw ProblemException.notFound(outcome.reason());
            }
            throw ProblemException.conflict(outcome.reason());
        }
        if (outcome.reason() != null) {
            throw ProblemException.conflict(outcome.reason() + ": only a FAILED order is replayed");
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("orderId", id.toString());
        answer.put("status", "PENDING");
        return answer;
    }

    public long depth(String queue) {
        Long n = rabbit.execute(channel -> (long) channel.queueDeclarePassive(queue).getMessageCount());
        return n == null ? 0 : n;
    }

    private String replayOne(String queue, GetResponse m) {
        if (QueueTopology.TO_EXTERNAL_DLQ.equals(queue)) {
            Object orderId = header(m, DeadLetterHeaders.ORDER_ID);
            if (orderId != null) {
                OrderReplay.Outcome outcome = orders.replay(UUID.fromString(orderId.toString()));
                return outcome.replayed() ? null : outcome.reason();
            }
            return "this dead letter names no order (it was never a valid order message); discard it";
        }
        // A stock message: back to the stock queue as it was, without the dead-letter headers.
        var props = new org.springframework.amqp.core.MessageProperties();
        props.setContentType(m.getProps().getContentType());
        rabbit.invoke(ops -> {
            ops.send("", QueueTopology.FROM_EXTERNAL, new org.springframework.amqp.core.Message(m.getBody(), props));
            ops.waitForConfirmsOrDie(5000);
            return null;
        });
        return null;
    }

    /**
     * Takes every message of the queue unacknowledged, lets the visitor decide (true = remove it),
     * then requeues the rest one by one in their original order. Returns how many it saw.
     */
    private long visit(String queue, Predicate<GetResponse> remove) {
        Long seen = rabbit.execute(channel -> {
            List<Long> keep = new ArrayList<>();
            long n = 0;
            try {
                GetResponse m;
                while (n < MAX && (m = channel.basicGet(queue, false)) != null) {
                    n++;
                    long tag = m.getEnvelope().getDeliveryTag();
                    if (remove.test(m)) {
                        channel.basicAck(tag, false);
                    } else {
                        keep.add(tag);
                    }
                }
            } finally {
                requeue(channel, keep);
            }
            return n;
        });
        return seen == null ? 0 : seen;
    }

    private static void requeue(Channel channel, List<Long> tags) throws IOException {
        for (long tag : tags) {
            channel.basicNack(tag, false, true);
        }
    }

    private static void check(String queue) {
        if (!QUEUES.contains(queue)) {
            throw ProblemException.notFound("no dead-letter queue '" + queue + "'; use " + String.join(" or ", QUEUES.stream().sorted().toList()));
        }
    }

    static Map<String, Object> view(String queue, GetResponse m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("messageId", id(m));
        v.put("orderId", str(header(m, DeadLetterHeaders.ORDER_ID)));
        v.put("vendor", str(header(m, DeadLetterHeaders.VENDOR)));
        v.put("reason", str(header(m, DeadLetterHeaders.REASON)));
        Object attempts = header(m, DeadLetterHeaders.ATTEMPTS);
        v.put("attempts", attempts instanceof Number n ? n.intValue() : attempts == null ? null : Integer.valueOf(attempts.toString()));
        v.put("failedAt", str(header(m, DeadLetterHeaders.FAILED_AT)));
        String body = new String(m.getBody(), StandardCharsets.UTF_8);
        v.put("body", body.length() > 2000 ? body.substring(0, 2000) + "…" : body);
        return v;
    }

    /** The dead letter's id: the one we stamped when dead-lettering, else the AMQP message id, else a digest. */
    static String id(GetResponse m) {
        Object stamped = header(m, DeadLetterHeaders.ID);
        if (stamped != null) {
            return stamped.toString();
        }
        AMQP.BasicProperties p = m.getProps();
        if (p.getMessageId() != null) {
            return p.getMessageId();
        }
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(m.getBody());
            return "sha-" + HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object header(GetResponse m, String name) {
        Map<String, Object> h = m.getProps().getHeaders();
        return h == null ? null : h.get(name);
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
