package dev.aggregator.order;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.QueuePublisher;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.config.DatabaseUnavailable;
import dev.aggregator.support.Tracing;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Moves committed orders from the outbox table to sync_to_external. Right after commit it publishes the
 * order at once (the fast path); the relay picks up whatever that missed (broker down, crash between commit
 * and publish), in batches with one confirm wait per batch. A row leaves the outbox only after the
 * broker confirmed it, and did not return it as unroutable (a deleted queue), so an order is never lost;
 * a duplicate is possible and delivery tolerates it.
 */
public class OutboxPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(OutboxPublisher.class);

    private final QueuePublisher publisher;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final long confirmTimeoutMillis;
    private final double graceSeconds;
    private final int batch;

    private final QueueTopology topology;

    public OutboxPublisher(QueuePublisher publisher, NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, QueueTopology topology,
                           long confirmTimeoutMillis, double graceSeconds, int batch) {
        this.topology = topology;
        this.publisher = publisher;
        this.jdbc = jdbc;
        this.tx = tx;
        this.confirmTimeoutMillis = confirmTimeoutMillis;
        this.graceSeconds = graceSeconds;
        this.batch = batch;
    }

    /** A committed order waiting for the fast path. */
    record Ready(long outboxId, UUID orderId, String vendor, String payload, String traceparent) {
    }

    private final java.util.concurrent.BlockingQueue<Ready> ready = new java.util.concurrent.ArrayBlockingQueue<>(20_000);
    private volatile boolean running;
    /** Whether the last fast-path publish failed: its warning is said once per outage. */
    private final java.util.concurrent.atomic.AtomicBoolean failing = new java.util.concurrent.atomic.AtomicBoolean();

    /**
     * The fast path: hands a committed order to the publisher thread and returns at once, so the HTTP
     * answer never waits for the broker. If the hand-over queue is full, the relay takes the row later.
     */
    public void publishSoon(long outboxId, UUID orderId, String vendor, String payload) {
        // the request's trace context (the caller's thread), so the publish joins the order's trace
        if (!running || !ready.offer(new Ready(outboxId, orderId, vendor, payload, Tracing.traceparent()))) {
            LOG.debug("Order {} left to the outbox relay", orderId);
        }
    }

    /** Starts the publisher thread: it drains what is ready, publishes it, waits for one confirm per batch. */
    public void start(java.util.concurrent.ExecutorService executor) {
        running = true;
        executor.execute(() -> {
            List<Ready> batch = new java.util.ArrayList<>();
            while (running && !Thread.currentThread().isInterrupted()) {
                try {
                    Ready first = ready.poll(200, java.util.concurrent.TimeUnit.MILLISECONDS);
                    if (first == null) {
                        continue;
                    }
                    batch.add(first);
                    ready.drainTo(batch, batch.size() < this.batch ? this.batch - 1 : 0);
                    publish(batch);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    batch.clear();
                }
            }
        });
    }

    public void stop() {
        running = false;
    }

    private void publish(List<Ready> batch) {
        List<Span> spans = new java.util.ArrayList<>(batch.size());
        try {
            List<QueuePublisher.Outgoing> out = batch.stream()
                    .map(r -> outgoing(topology.orderQueue(r.vendor()), r.orderId().toString(), r.payload(), r.traceparent(), spans))
                    .toList();
            java.util.BitSet returned = publisher.publish(out, confirmTimeoutMillis);
            endSpans(spans, returned, null);
            // A returned order (its lane queue is gone) stays in the outbox: the relay sends it again, by then
            // through sync_to_external, whose router declares the lane queue first.
            List<Long> sent = new java.util.ArrayList<>();
            for (int i = 0; i < batch.size(); i++) {
                if (!returned.get(i)) {
                    sent.add(batch.get(i).outboxId());
                }
            }
            if (!sent.isEmpty()) {
                jdbc.update(ClasspathText.load("sql/order/delete-published.sql"), Map.of("ids", sent));
            }
            if (failing.compareAndSet(true, false)) {
                LOG.info("Publishing orders again; the relay sends those left in the outbox");
            }
        } catch (RuntimeException e) {
            endSpans(spans, null, e);
            // Once per outage, not per batch: with the broker away every batch fails (hundreds of lines a
            // minute in the fault soak), and the connectivity monitor names the address once already.
            if (!DatabaseUnavailable.causes(e) && failing.compareAndSet(false, true)) {
                LOG.warn("Publishing orders failed ({}): they stay in the outbox, and the relay sends them once the broker is back",
                        e.getMessage());
            } else {
                LOG.debug("{} orders stay in the outbox for the relay: {}", batch.size(), e.getMessage());
            }
        }
    }

    /** One relay round: publishes up to a batch of unpublished rows; returns how many went out. */
    public int relay() {
        Integer sent;
        List<Span> spans = new java.util.ArrayList<>();
        try {
            sent = tx.execute(status -> {
            List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/order/claim-unpublished.sql"),
                    new MapSqlParameterSource().addValue("graceSeconds", graceSeconds).addValue("batch", batch));
            if (rows.isEmpty()) {
                return 0;
            }
            java.util.BitSet returned = publisher.publish(rows.stream()
                    .map(row -> outgoing(topology.orderQueue((String) row.get("vendor")), row.get("order_id").toString(),
                            (String) row.get("payload"), (String) row.get("trace_parent"), spans))
                    .toList(), confirmTimeoutMillis);
            endSpans(spans, returned, null);
            List<Long> ids = new java.util.ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (!returned.get(i)) { // a returned one stays for the next round, through sync_to_external
                    ids.add(((Number) rows.get(i).get("id")).longValue());
                }
            }
            if (!ids.isEmpty()) {
                jdbc.update(ClasspathText.load("sql/order/delete-published.sql"), Map.of("ids", ids));
            }
            return ids.size();
            });
        } catch (org.springframework.amqp.AmqpException e) {
            endSpans(spans, null, e);
            // Broker unreachable: the rows stay unpublished (the transaction rolled back); the
            // connectivity monitor has said so already, so no line per tick here.
            LOG.debug("Outbox relay could not publish: {}", e.getMessage());
            return 0;
        }
        if (sent != null && sent > 0) {
            LOG.info("Outbox relay published {} orders", sent);
        }
        return sent == null ? 0 : sent;
    }

    /**
     * One order's message, with a publish span in the order's trace (the context kept from its request, in
     * memory or in the outbox row) whose traceparent the message carries to the lane router.
     */
    private static QueuePublisher.Outgoing outgoing(String queue, String orderId, String payload, String traceparent, List<Span> spans) {
        Message m = message(orderId, payload);
        Span span = Tracing.publishSpan(queue, traceparent, orderId);
        Tracing.inject(span, m.getMessageProperties());
        spans.add(span);
        return new QueuePublisher.Outgoing(queue, m);
    }

    private static void endSpans(List<Span> spans, java.util.BitSet returned, RuntimeException failure) {
        for (int i = 0; i < spans.size(); i++) {
            Span span = spans.get(i);
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, "not published: " + failure.getMessage());
            } else if (returned != null && returned.get(i)) {
                span.setStatus(StatusCode.ERROR, "returned by the broker: the queue does not exist");
            }
            span.end();
        }
        spans.clear();
    }

    /** The message on sync_to_external: just enough to find the order; delivery reads the rest from the database. */
    public static String payload(UUID orderId, String vendor, String productId, int quantity) {
        return "{\"orderId\":\"" + orderId + "\",\"vendor\":" + quote(vendor) + ",\"productId\":" + quote(productId)
                + ",\"quantity\":" + quantity + "}";
    }

    private static String quote(String s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    static Message message(String orderId, String payload) {
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setMessageId(orderId);
        props.setHeader(dev.aggregator.support.DeadLetterHeaders.ORDER_ID, orderId);
        return new Message(payload.getBytes(StandardCharsets.UTF_8), props);
    }
}
