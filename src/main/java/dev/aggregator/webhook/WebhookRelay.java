package dev.aggregator.webhook;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.Timestamps;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Sends the webhook outbox's due events (the webhook-relay timer route): a batch leased in one short statement,
 * POSTed side by side (at most {@code concurrency} in flight, each with a time-out), then each one deleted (2xx),
 * put off by the backoff, or kept as failed once its retry window ran out. It runs on its own timer thread and
 * its own HTTP client, and holds no database connection while receivers answer: a slow or dead receiver delays
 * only other webhooks, never an order.
 */
public class WebhookRelay {

    private static final Logger LOG = LoggerFactory.getLogger(WebhookRelay.class);
    /** The order's fields in GET /orders/{id}'s order (OrderQueries.write); times are rewritten as ISO-8601. */
    private static final List<String> ORDER_FIELDS = List.of("orderId", "status", "vendor", "id", "quantity", "unitPrice",
            "attempts", "lastError", "createdAt", "updatedAt", "syncedAt", "failedAt", "cancelledAt", "vendorRef");
    private static final List<String> TIMES = List.of("createdAt", "updatedAt", "syncedAt", "failedAt", "cancelledAt");

    private final NamedParameterJdbcTemplate jdbc;
    private final ObjectMapper json;
    private final String secret;
    private final WebhookBackoff backoff;
    private final Duration timeout;
    private final int concurrency;
    private final HttpClient client;
    private final String userAgent;

    public WebhookRelay(NamedParameterJdbcTemplate jdbc, ObjectMapper json, String secret, WebhookBackoff backoff,
                        Duration timeout, int concurrency, ExecutorService executor, String instance) {
        this.jdbc = jdbc;
        this.json = json;
        this.secret = secret;
        this.backoff = backoff;
        this.timeout = timeout;
        this.concurrency = concurrency;
        this.userAgent = "order-aggregator-webhooks (" + instance + ")";
        // Redirects are not followed: the receiver is the URL the operator or the allowed client named.
        this.client = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .executor(executor).build();
    }

    /** One event to send, as the outbox holds it. */
    record Due(long id, String eventId, String type, String url, String payload, Object createdAt, int attempts, double ageSeconds) {
    }

    /**
     * Sends what is due, batch after batch of at most {@code concurrency} while batches come back full (a burst
     * of events is not held to one batch per period), for at most about {@link #BUSY} per tick; answers how many
     * were delivered.
     */
    public int relay() {
        if (secret == null) {
            // no WEBHOOK_SECRET (webhooks switched off since these events were written): they wait, unsigned ones never go
            return 0;
        }
        long until = System.nanoTime() + BUSY.toNanos();
        int delivered = 0;
        int claimed;
        do {
            int[] batch = batch();
            claimed = batch[0];
            delivered += batch[1];
        } while (claimed == concurrency && System.nanoTime() < until);
        return delivered;
    }

    /** How long one tick keeps sending full batches before it lets the timer (and the database-timers handling) run again. */
    static final Duration BUSY = Duration.ofSeconds(5);

    /** One leased batch, sent side by side: {claimed, delivered}. */
    private int[] batch() {
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("batch", concurrency)
                // the lease: longer than a send can take (connect and answer time-outs), so no one sends it meanwhile
                .addValue("leaseSeconds", timeout.toSeconds() * 2 + 5);
        List<Due> due = jdbc.query(ClasspathText.load("sql/webhook/claim-due.sql"), p, (rs, n) -> new Due(rs.getLong("id"),
                rs.getString("event_id"), rs.getString("event_type"), rs.getString("url"), rs.getString("payload"),
                rs.getTimestamp("created_at"), rs.getInt("attempts"), rs.getDouble("age_seconds")));
        if (due.isEmpty()) {
            return new int[] {0, 0};
        }
        List<CompletableFuture<Outcome>> sends = new ArrayList<>();
        for (Due d : due) {
            sends.add(send(d));
        }
        int delivered = 0;
        for (int i = 0; i < due.size(); i++) {
            // each send ends by its own time-out, so this waits at most about that long; the outcomes are written
            // here, on the relay's thread, not on the HTTP client's
            Outcome o = sends.get(i).join();
            if (o.delivered()) {
                jdbc.update(ClasspathText.load("sql/webhook/delete-delivered.sql"), Map.of("id", due.get(i).id()));
                delivered++;
            } else {
                failed(due.get(i), o.status(), o.error());
            }
        }
        return new int[] {due.size(), delivered};
    }

    /** How one attempt ended: 2xx, or the status (null without an answer) and why it failed. */
    record Outcome(boolean delivered, Integer status, String error) {
    }

    private CompletableFuture<Outcome> send(Due d) {
        byte[] body;
        try {
            body = body(d);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Outcome(false, null, "the event could not be written: " + e.getMessage()));
        }
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(URI.create(d.url())).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .header("User-Agent", userAgent)
                    .header("Webhook-Id", d.eventId())
                    .header(WebhookSignature.HEADER, WebhookSignature.header(secret, System.currentTimeMillis() / 1000, body))
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        } catch (IllegalArgumentException e) {
            return CompletableFuture.completedFuture(new Outcome(false, null, "the URL cannot be used: " + e.getMessage()));
        }
        return client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                // the request's time-out covers the answer; this also bounds a connect that hangs
                .orTimeout(timeout.toMillis() * 2, TimeUnit.MILLISECONDS)
                .handle((answer, error) -> error != null ? new Outcome(false, null, describe(error))
                        : answer.statusCode() / 100 == 2 ? new Outcome(true, answer.statusCode(), null)
                        : new Outcome(false, answer.statusCode(), "answered " + answer.statusCode()));
    }

    /** A failed attempt: again after the backoff, or kept as failed once the retry window is over. */
    private void failed(Due d, Integer status, String error) {
        int failures = d.attempts() + 1;
        Optional<Duration> delay = backoff.next(failures, Duration.ofMillis((long) (d.ageSeconds() * 1000)));
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("id", d.id()).addValue("status", status)
                .addValue("error", error.length() > 500 ? error.substring(0, 500) : error);
        if (delay.isPresent()) {
            p.addValue("delaySeconds", delay.get().toMillis() / 1000.0);
            jdbc.update(ClasspathText.load("sql/webhook/retry-later.sql"), p);
            LOG.debug("Webhook {} {} to {} failed (attempt {}: {}); again in {}", d.type(), d.eventId(), d.url(), failures, error, delay.get());
        } else {
            jdbc.update(ClasspathText.load("sql/webhook/give-up.sql"), p);
            LOG.warn("Webhook {} {} to {} failed {} times over its retry window (last: {}); kept as failed: "
                    + "GET /admin/webhooks/failed lists it, POST /admin/webhooks/{}/resend sends it again",
                    d.type(), d.eventId(), d.url(), failures, error, d.eventId());
        }
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof java.net.http.HttpTimeoutException || cause instanceof java.util.concurrent.TimeoutException) {
            return "no answer in time";
        }
        return cause.getClass().getSimpleName() + (cause.getMessage() == null ? "" : ": " + cause.getMessage());
    }

    /** {"id","type","createdAt","order":{GET /orders/{id}'s fields}}. */
    byte[] body(Due d) {
        try {
            // a price as its numeric's text (10.00 stays 10.00, as GET /orders/{id} writes it), not as a double
            JsonNode stored = json.reader().with(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                    .readTree(d.payload());
            ObjectNode event = json.createObjectNode();
            event.put("id", d.eventId());
            event.put("type", d.type());
            event.put("createdAt", Timestamps.iso(d.createdAt()));
            ObjectNode order = event.putObject("order");
            for (String field : ORDER_FIELDS) {
                JsonNode v = stored.get(field);
                if (v != null && v.isTextual() && TIMES.contains(field)) {
                    order.put(field, Timestamps.isoFromUtcText(v.asText()));
                } else {
                    order.set(field, v == null ? json.nullNode() : v);
                }
            }
            return json.writeValueAsString(event).getBytes(StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
