package dev.aggregator.delivery;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 23, against outside vendors (HTTP servers of their own): every vendor answer is classified (a
 * redirect fails the order once, with a reason, the vendor's key never in a log line); the waiting limit
 * counts waiting on an open breaker, not the order's age (a backlog behind a rate limit and a replay of an
 * old order are delivered); a fractional rate limit is kept; a healthy vendor's breaker stays closed while
 * its orders wait for the rate limit.
 */
class DeliveryOutcomesIT extends AggregatorTestSupport {

    private static final String KEY = "s3cr3t-api-key-77";

    // Set in settings(), which runs from the base class's constructor: no initializers here.
    private CountingVendor moved;
    private CountingVendor backlog;
    private CountingVendor limited;
    private CountingVendor fractional;
    private CountingVendor refuser;

    @Override
    protected void settings(Properties p) {
        moved = outsideVendor("moved", 10, 20);
        backlog = outsideVendor("backlog", 10, 100);
        limited = outsideVendor("limited", 10, 100);
        fractional = outsideVendor("fractional", 10, 20);
        refuser = outsideVendor("refuser", 10, 20);
        p.setProperty("VENDOR_URL_1", moved.url() + "?key=" + KEY);
        p.setProperty("VENDOR_URL_2", backlog.url());
        p.setProperty("VENDOR_RATE_LIMIT_2", "2");
        // two in flight: the rest of a backlog waits in the broker, as it would behind an instance down for an hour
        p.setProperty("VENDOR_CONCURRENCY_2", "2");
        p.setProperty("VENDOR_URL_5", limited.url());
        p.setProperty("VENDOR_RATE_LIMIT_5", "2");
        p.setProperty("VENDOR_URL_3", fractional.url());
        p.setProperty("VENDOR_RATE_LIMIT_3", "1.5");
        p.setProperty("VENDOR_URL_4", refuser.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("ADMIN_TOKEN", "t");
        // Orders may wait 4 s on an open breaker; the backlog below makes orders wait far longer for the rate limit.
        p.setProperty("aggregator.delivery.max-wait-seconds", "4");
        // Calls over 3 s count as slow: the rate limit's wait must not be taken for the vendor's slowness.
        p.setProperty("aggregator.delivery.breaker.slow-call-ms", "3000");
        p.setProperty("aggregator.delivery.backoff-ms", "100");
    }

    @BeforeEach
    void catalogues() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> productCount("moved") == 10 && productCount("backlog") == 10 && productCount("fractional") == 10
                        && productCount("refuser") == 10 && productCount("limited") == 10);
    }

    /** Item 3: a 302, 307, 308 or 303 is answered once, FAILED with its Location (key hidden), not a nack storm. */
    @Test
    void aRedirectFailsTheOrderOnceWithAReasonAndNoSecretInTheLog() throws Exception {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(logs);
        try {
            for (int status : List.of(302, 307, 308, 303)) {
                moved.redirect(status);
                int putsBefore = moved.putTimes().size();
                String id = order("moved", 1 + status % 10);
                JsonNode failed = awaitStatus(id, "FAILED", Duration.ofSeconds(10));
                assertThat(failed.get("lastError").asText()).startsWith("vendor answered " + status)
                        .contains("redirects are not followed").contains("https://127.0.0.1:1/moved/products/")
                        .doesNotContain(KEY);
                // Three more seconds: a loop would have sent dozens more by then (83 in 8 s before the fix).
                await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(4)).until(() -> moved.putTimes().size() == putsBefore + 1);
                assertThat(failed.get("attempts").asInt()).isEqualTo(1);
            }
        } finally {
            root.detachAppender(logs);
            moved.mode(CountingVendor.Mode.OK);
        }
        List<String> leaking = logs.list.stream().map(e -> e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage()))
                .filter(m -> m.contains(KEY)).toList();
        assertThat(leaking).as("log lines carrying the vendor's key").isEmpty();
        assertThat(logs.list.stream().filter(e -> e.getLevel() == ch.qos.logback.classic.Level.ERROR).map(ILoggingEvent::getFormattedMessage))
                .as("no ERROR for a vendor's answer").isEmpty();
        // Seen in the code: a failure was handled (FAILED, stock back, dead letter with its confirm) on vertx-http's
        // ordered executeBlocking, holding up every other answer behind it; now on the delivery workers, as the confirm.
        List<String> failedOn = logs.list.stream().filter(e -> e.getFormattedMessage().contains("Order FAILED after"))
                .map(ILoggingEvent::getThreadName).toList();
        assertThat(failedOn).hasSize(4).allMatch(t -> t.contains("delivery-worker"));
    }

    /**
     * Items 4 and 8, side by side, both on healthy 100 ms vendors limited to 2 PUT/s:
     * - 14 orders to "backlog" (2 in flight, the rest queued in the broker) wait up to 7 s, longer than the
     *   4 s waiting limit: all are SYNCED, none FAILED untried (the limit counted the order's age);
     * - 16 orders to "limited" (64 in flight) wait up to 8 s for the rate limit, with calls over 3 s counted
     *   as slow: the breaker stays closed (it timed the throttle's wait, and opened with "last error: null").
     */
    @Test
    void aBacklogBehindTheRateLimitIsDeliveredAndTheBreakerStaysClosed() throws Exception {
        List<String> queued = new ArrayList<>();
        List<String> throttled = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            if (i < 14) {
                queued.add(order("backlog", 1 + i % 10));
            }
            throttled.add(order("limited", 1 + i % 10));
        }
        List<String> breakerStates = java.util.Collections.synchronizedList(new ArrayList<>());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).until(() -> {
            breakerStates.add(json(get("/health")).at("/vendors/limited/breaker").asText());
            return finished(queued) == 14 && finished(throttled) == 16;
        });
        assertThat(count("SELECT count(*) FROM orders WHERE vendor = 'backlog' AND status = 'SYNCED'")).isEqualTo(14);
        assertThat(count("SELECT count(*) FROM orders WHERE vendor = 'limited' AND status = 'SYNCED'")).isEqualTo(16);
        assertThat(breakerStates).containsOnly("closed");
        assertThat(backlog.putTimes()).hasSize(14);
        assertThat(limited.putTimes()).hasSize(16);
        // they really waited longer than the 4 s limit, and the 3 s slow-call threshold
        assertThat(span(backlog.putTimes())).isGreaterThan(5500);
        assertThat(span(limited.putTimes())).isGreaterThan(6500);
    }

    private static long span(List<Long> nanos) {
        return (nanos.stream().mapToLong(Long::longValue).max().orElse(0) - nanos.stream().mapToLong(Long::longValue).min().orElse(0)) / 1_000_000;
    }

    /** Item 7: 1.5 PUT/s is 15 in any 10 s, not 21 (it was rounded to 2/s). */
    @Test
    void aFractionalRateLimitIsKept() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            ids.add(order("fractional", 1 + i % 10));
        }
        await().atMost(Duration.ofSeconds(40)).until(() -> finished(ids) == 30);
        System.out.printf("1.5/s: busiest 10 s window %d PUTs, busiest 2 s %d%n", fractional.busiestWindow(Duration.ofSeconds(10)),
                fractional.busiestWindow(Duration.ofSeconds(2)));
        assertThat(fractional.busiestWindow(Duration.ofMillis(9_990))).isLessThanOrEqualTo(15);
        // Over the whole run, at most 1.5 a second after the first period's burst of 3 (3 per 2 s lets 3 go at once).
        // Not a 2 s window: a busy machine's arrival jitter put a 4th PUT into one now and then, beside another suite;
        // the 10 s windows above are what the limit promises. At 2/s (the rounding this fixes) this is 1.9.
        List<Long> times = fractional.putTimes().stream().sorted().toList();
        double perSecond = (times.size() - 3) / ((times.get(times.size() - 1) - times.get(0)) / 1e9);
        assertThat(perSecond).isLessThanOrEqualTo(1.5);
        assertThat(count("SELECT count(*) FROM orders WHERE vendor = 'fractional' AND status = 'SYNCED'")).isEqualTo(30);
    }

    /** Item 4: a replay is a fresh start; a FAILED order older than the waiting limit is sent again, not failed untried. */
    @Test
    void aReplayedOrderOlderThanTheWaitingLimitIsSentAgain() throws Exception {
        refuser.mode(CountingVendor.Mode.REFUSE_FIRST);
        String id = order("refuser", 3);
        JsonNode failed = awaitStatus(id, "FAILED", Duration.ofSeconds(10));
        assertThat(failed.get("lastError").asText()).contains("409");
        // older than max-wait-seconds (4) before it is replayed
        jdbc().update("UPDATE orders SET created_at = now() - interval '1 hour' WHERE order_id = ?::uuid", id);
        HttpResponse<String> replay = send("POST", "/admin/orders/" + id + "/replay", null, "Authorization", "Bearer t");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        awaitStatus(id, "SYNCED", Duration.ofSeconds(10));
        assertThat(refuser.putsByKey().get(id).get()).as("accepted once, on the replay").isEqualTo(1);
        refuser.mode(CountingVendor.Mode.OK);
    }

    /** Seen in the code: a copy still waiting must not write "waiting" on an order another copy finished. */
    @Test
    void aWaitingNoteNeverLandsOnAFinishedOrder() throws Exception {
        String id = order("refuser", 4);
        awaitStatus(id, "SYNCED", Duration.ofSeconds(10));
        int changed = new org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate(jdbc()).update(
                dev.aggregator.config.ClasspathText.load("sql/order/note-waiting.sql"),
                java.util.Map.of("orderId", java.util.UUID.fromString(id), "reason", "waiting: test"));
        assertThat(changed).isZero();
        JsonNode order = json(get("/orders/" + id));
        assertThat(order.get("status").asText()).isEqualTo("SYNCED");
        assertThat(order.get("lastError").isNull()).isTrue();
    }

    private int count(String sql) {
        Integer n = jdbc().queryForObject(sql, Integer.class);
        return n == null ? 0 : n;
    }
}
