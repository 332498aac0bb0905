package dev.aggregator.support;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import dev.aggregator.testsupport.AggregatorTestSupport;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;
import testvendors.MemorySpans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Traces on (aggregator.tracing, the SDK built by autoconfigure as in production, its exporter the in-memory
 * one): an order's spans form one trace from POST /order to the vendor's PUT, whose traceparent is in that
 * trace; a FAILED order's trace shows each attempt and the dead letter; the order's log lines carry its trace id.
 */
class TracesIT extends AggregatorTestSupport {

    private static final String API_KEY = "k3y-0f-the-shop";
    private CountingVendor shop;
    private CountingVendor down;
    private final List<ILoggingEvent> orderLines = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.getMDCPropertyMap(); // the MDC as it is now, on the logging thread
            orderLines.add(event);
        }
    };

    @Override
    protected void settings(Properties p) {
        shop = outsideVendor("shop", 10, 10);
        down = outsideVendor("down", 10, 10);
        down.mode(CountingVendor.Mode.FAIL);
        // an API key in the query, as many vendors take it: no span may show it
        p.setProperty("VENDOR_URL_1", shop.url() + "?api_key=" + API_KEY);
        p.setProperty("VENDOR_URL_2", down.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("aggregator.delivery.max-attempts", "3");
        p.setProperty("aggregator.delivery.backoff-ms", "100");
        p.setProperty("aggregator.tracing", "true");
        p.setProperty("ADMIN_TOKEN", "trace-admin");
        // failed orders of several tests to one vendor: its breaker (which would make them wait) stays closed
        p.setProperty("aggregator.delivery.breaker.window", "1000");
        p.setProperty("aggregator.delivery.breaker.minimum-calls", "1000");
        p.setProperty("otel.traces.exporter", "memory");
        p.setProperty("otel.bsp.schedule.delay", "100");
    }

    @BeforeAll
    void captureOrderLines() {
        ch.qos.logback.classic.Logger log = (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.aggregator");
        capture.setContext(log.getLoggerContext());
        capture.start();
        log.addAppender(capture);
    }

    @AfterAll
    void stopCapture() {
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("dev.aggregator")).detachAppender(capture);
    }

    @Test
    void oneOrderIsOneTraceFromThePostToTheVendorsPut() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 10);
        String orderId = json(post("{\"id\":\"3\",\"vendor\":\"shop\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(orderId, "SYNCED");

        List<String> received = shop.traceparents(orderId);
        assertThat(received).hasSize(1);
        String[] parts = received.get(0).split("-");
        assertThat(parts).as("the vendor received a W3C traceparent: %s", received).hasSize(4);
        String traceId = parts[1];
        String callSpanId = parts[2];

        // complete once the vendor call's HTTP span (the traceparent's parent id) and the POST's are exported
        List<SpanData> trace = awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.getSpanId().equals(callSpanId))
                && spans.stream().anyMatch(s -> !s.getParentSpanContext().isValid()));
        print(trace);
        // one root, the POST
        List<SpanData> roots = trace.stream().filter(s -> !s.getParentSpanContext().isValid()).toList();
        assertThat(roots).hasSize(1);
        assertThat(roots.get(0).getName()).isEqualTo("POST /order");
        assertThat(roots.get(0).getKind()).isEqualTo(SpanKind.SERVER);
        assertThat(roots.get(0).getAttributes().get(AttributeKey.stringKey("http.method"))).isEqualTo("POST");
        // every span hangs from it: no span of the trace names a parent the trace does not hold
        java.util.Set<String> ids = trace.stream().map(SpanData::getSpanId).collect(Collectors.toSet());
        assertThat(trace).allSatisfy(s -> assertThat(!s.getParentSpanContext().isValid() || ids.contains(s.getParentSpanId()))
                .as("parent of %s is in the trace", s.getName()).isTrue());
        // the hops: the outbox's publish (straight to the lane queue once it exists), the lane's consumer, the
        // vendor call (one span per attempt) and its HTTP PUT, whose id the vendor received as the parent
        SpanData publish = trace.stream().filter(s -> s.getName().equals("publish sync_to_external.shop")).findFirst().orElseThrow();
        assertThat(publish.getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(publish.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo(orderId);
        assertThat(trace).anySatisfy(s -> {
            assertThat(s.getAttributes().get(AttributeKey.stringKey("component"))).isEqualTo("camel-spring-rabbitmq");
            assertThat(s.getParentSpanId()).isEqualTo(publish.getSpanId());
            // named and kinded as what it is (Camel's own name was the exchange's: "default")
            assertThat(s.getName()).isEqualTo("consume sync_to_external.shop");
            assertThat(s.getKind()).isEqualTo(SpanKind.CONSUMER);
        });
        SpanData put = trace.stream().filter(s -> s.getSpanId().equals(callSpanId)).findFirst().orElseThrow();
        assertThat(put.getAttributes().get(AttributeKey.stringKey("http.method"))).isEqualTo("PUT");
        assertThat(put.getKind()).isEqualTo(SpanKind.CLIENT);
        SpanData call = trace.stream().filter(s -> "shop".equals(s.getAttributes().get(AttributeKey.stringKey("vendor")))).findFirst().orElseThrow();
        assertThat(call.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo(orderId);
        assertThat(call.getAttributes().get(AttributeKey.stringKey("order.attempt"))).isEqualTo("1");
        assertThat(call.getAttributes().get(AttributeKey.stringKey("http.response.status_code"))).isEqualTo("200");
        // the reservation transaction, a child of the POST
        assertThat(trace).filteredOn(x -> x.getName().equals("reserve order")).singleElement().satisfies(r -> {
            assertThat(r.getParentSpanId()).isEqualTo(roots.get(0).getSpanId());
            assertThat(r.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo(orderId);
        });
        // the wait for the lane's rate limit before the call, and the confirm after it, each a span of the trace
        assertThat(trace).filteredOn(s -> s.getName().equals("lane wait")).singleElement().satisfies(w -> {
            assertThat(w.getAttributes().get(AttributeKey.stringKey("wait.cause"))).isEqualTo("throttle");
            assertThat(w.getAttributes().get(AttributeKey.stringKey("wait.before_attempt"))).isEqualTo("1");
            assertThat(w.getEndEpochNanos()).isLessThanOrEqualTo(put.getStartEpochNanos());
        });
        assertThat(trace).filteredOn(s -> s.getName().equals("confirm order")).singleElement().satisfies(c -> {
            assertThat(c.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo(orderId);
            assertThat(c.getStartEpochNanos()).isGreaterThanOrEqualTo(put.getEndEpochNanos());
        });
        // never a secret: no span carries a request header, nor the vendor's API key (its poll's spans neither)
        assertThat(MemorySpans.SPANS.getFinishedSpanItems()).isNotEmpty().allSatisfy(s -> assertThat(String.valueOf(s.getAttributes().asMap()))
                .doesNotContainIgnoringCase("authorization").doesNotContain(API_KEY));
        assertThat(MemorySpans.SPANS.getFinishedSpanItems()).anySatisfy(s -> assertThat(s.getName()).isEqualTo("vendor-poll-shop"));

        // the order's log lines lead to its trace
        assertThat(orderLines.stream().filter(e -> orderId.equals(e.getMDCPropertyMap().get("orderId")))
                .filter(e -> e.getFormattedMessage().startsWith("Order accepted")).toList())
                .singleElement().satisfies(e -> assertThat(e.getMDCPropertyMap()).containsEntry("trace_id", traceId));
    }

    @Test
    void aFailedOrdersTraceShowsEachAttemptAndTheDeadLetter() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("down") == 10);
        String orderId = json(post("{\"id\":\"4\",\"vendor\":\"down\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(orderId, "FAILED");

        List<String> received = down.traceparents(orderId);
        assertThat(received).hasSize(3);
        String traceId = received.get(0).split("-")[1];
        assertThat(received).allSatisfy(t -> assertThat(t.split("-")[1]).isEqualTo(traceId));

        List<SpanData> trace = awaitTrace(traceId, spans -> spans.stream().filter(s -> s.getName().contains("dead-letter")).count() > 0
                && attempts(spans).size() == 3);
        print(trace);
        assertThat(attempts(trace)).containsExactly("1", "2", "3");
        assertThat(trace).anySatisfy(s -> assertThat(s.getName()).isEqualTo("order-dead-letter"));
        assertThat(trace.stream().filter(s -> "down".equals(s.getAttributes().get(AttributeKey.stringKey("vendor"))))
                .map(s -> s.getAttributes().get(AttributeKey.stringKey("http.response.status_code"))).toList())
                .containsOnly("503");
        // each retry's wait is visible as such: attempts 2 and 3 waited out a backoff after a failure
        assertThat(trace.stream().filter(s -> s.getName().equals("lane wait"))
                .map(s -> s.getAttributes().get(AttributeKey.stringKey("wait.before_attempt")) + ":"
                        + s.getAttributes().get(AttributeKey.stringKey("wait.cause"))).sorted().toList())
                .containsExactly("1:throttle", "2:retry-backoff,throttle", "3:retry-backoff,throttle");
    }

    @Test
    void aReplayFromTheAdminApiLinksToTheOrdersFirstTrace() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("down") == 10);
        String orderId = json(post("{\"id\":\"5\",\"vendor\":\"down\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(orderId, "FAILED");
        String firstTrace = down.traceparents(orderId).get(0).split("-")[1];

        HttpResponse<String> replayed = send("POST", "/admin/orders/" + orderId + "/replay", null, "Authorization", "Bearer trace-admin");
        assertThat(replayed.statusCode()).as(replayed.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(() -> down.traceparents(orderId).size() >= 6);
        awaitStatus(orderId, "FAILED");
        // the replay's calls are in a trace of their own (the operator's request), not the first one
        List<String> calls = down.traceparents(orderId);
        assertThat(calls).hasSize(6);
        String replayTrace = calls.get(3).split("-")[1];
        assertThat(replayTrace).isNotEqualTo(firstTrace);
        List<SpanData> trace = awaitTrace(replayTrace, spans -> spans.stream().anyMatch(x -> x.getName().equals("replay order")));
        // whose replay span links back to the order's first trace
        assertThat(trace).filteredOn(x -> x.getName().equals("replay order")).singleElement().satisfies(r -> {
            assertThat(r.getAttributes().get(AttributeKey.stringKey("order.id"))).isEqualTo(orderId);
            assertThat(r.getLinks()).singleElement().satisfies(l -> assertThat(l.getSpanContext().getTraceId()).isEqualTo(firstTrace));
        });
    }

    @Test
    void aPollIsATraceWithItsPagesAndTheUpsertsThatConsumeThem() {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 10);
        String received = shop.pollTraceparents().get(0);
        assertThat(received).as("the page GET carried a traceparent").startsWith("00-");
        String traceId = received.split("-")[1];
        List<SpanData> trace = awaitTrace(traceId, spans -> spans.stream().anyMatch(s -> s.getName().equals("sql")));
        print(trace);
        assertThat(trace).anySatisfy(s -> assertThat(s.getName()).isEqualTo("vendor-poll-shop"));
        assertThat(trace).anySatisfy(s -> {
            assertThat(s.getSpanId()).isEqualTo(received.split("-")[2]);
            assertThat(s.getAttributes().get(AttributeKey.stringKey("http.method"))).isEqualTo("GET");
        });
        // the products queued on sync_from_external and their upsert, consumed in the poll's trace
        assertThat(trace).anySatisfy(s -> assertThat(s.getAttributes().get(AttributeKey.stringKey("camel.uri"))).contains("queues=sync_from_external"));
        assertThat(trace).anySatisfy(s -> assertThat(s.getAttributes().get(AttributeKey.stringKey("camel.uri"))).contains("upsert-products.sql"));
    }

    private static List<String> attempts(List<SpanData> spans) {
        return spans.stream().map(s -> s.getAttributes().get(AttributeKey.stringKey("order.attempt")))
                .filter(java.util.Objects::nonNull).sorted().toList();
    }

    private static List<SpanData> awaitTrace(String traceId, java.util.function.Predicate<List<SpanData>> complete) {
        return await().atMost(Duration.ofSeconds(20)).until(() -> MemorySpans.SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId)).toList(), complete);
    }

    private static void print(List<SpanData> trace) {
        Map<String, SpanData> byId = trace.stream().collect(Collectors.toMap(SpanData::getSpanId, s -> s, (a, b) -> a));
        trace.stream().sorted(java.util.Comparator.comparingLong(SpanData::getStartEpochNanos)).forEach(s -> {
            int depth = 0;
            for (SpanData p = byId.get(s.getParentSpanId()); p != null && depth < 30; p = byId.get(p.getParentSpanId())) {
                depth++;
            }
            System.out.println("  ".repeat(depth) + s.getName() + " [" + s.getKind() + "] " + s.getAttributes().asMap());
        });
    }
}
