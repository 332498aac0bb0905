package dev.aggregator.support;

import java.time.Duration;
import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TcpForwarder;
import dev.aggregator.testsupport.TestServices;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.sdk.trace.data.SpanData;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;
import testvendors.MemorySpans;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The broker away during POST /order: the order waits in the outbox with its request's trace context
 * (outbox.trace_parent), and the relay's publish once the broker is back joins that trace, down to the
 * vendor's PUT.
 */
class TracesRelayIT extends AggregatorTestSupport {

    private CountingVendor shop;
    private int brokerPort;
    private TcpForwarder broker;

    @Override
    protected void settings(Properties p) {
        shop = outsideVendor("shop", 10, 10);
        brokerPort = TestServices.freePort();
        try {
            broker = TcpForwarder.open(brokerPort, 5672);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.setProperty("RABBITMQ_URI", TestServices.amqpUri(vhost).replace(":5672", ":" + brokerPort));
        p.setProperty("VENDOR_URL_1", shop.url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        p.setProperty("aggregator.tracing", "true");
        p.setProperty("otel.traces.exporter", "memory");
        p.setProperty("otel.bsp.schedule.delay", "100");
    }

    @AfterAll
    void closeBroker() throws Exception {
        broker.close();
    }

    @Test
    void theRelaysPublishAfterAnOutageIsInTheOrdersTrace() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 10);
        awaitStatus(json(post("{\"id\":\"1\",\"vendor\":\"shop\",\"quantity\":1}")).get("orderId").asText(), "SYNCED");

        broker.close();
        await().atMost(Duration.ofSeconds(20)).until(() -> get("/health").statusCode() == 503);
        var answer = post("{\"id\":\"2\",\"vendor\":\"shop\",\"quantity\":1}");
        assertThat(answer.statusCode()).isEqualTo(202);
        String orderId = json(answer).get("orderId").asText();
        String kept = await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> jdbc().queryForObject(
                "SELECT trace_parent FROM outbox WHERE order_id = CAST(? AS uuid)", String.class, orderId), t -> t != null);
        String traceId = kept.split("-")[1];
        String postSpanId = kept.split("-")[2];
        // the outbox relay's rounds fail meanwhile (its period is far shorter): nothing reaches the vendor, and the row
        // stays with its context
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).until(() -> shop.traceparents(orderId).isEmpty());

        broker = TcpForwarder.open(brokerPort, 5672);
        awaitStatus(orderId, "SYNCED", Duration.ofSeconds(60));

        assertThat(shop.traceparents(orderId)).singleElement().satisfies(t -> assertThat(t.split("-")[1]).isEqualTo(traceId));
        List<SpanData> trace = await().atMost(Duration.ofSeconds(20)).until(() -> MemorySpans.SPANS.getFinishedSpanItems().stream()
                .filter(s -> s.getTraceId().equals(traceId)).toList(),
                spans -> spans.stream().anyMatch(s -> "shop".equals(s.getAttributes().get(AttributeKey.stringKey("vendor")))));
        trace.forEach(s -> System.out.println("relay trace: " + s.getName() + " " + s.getSpanId() + " <- " + s.getParentSpanId()));
        SpanData root = trace.stream().filter(s -> !s.getParentSpanContext().isValid()).findFirst().orElseThrow();
        assertThat(root.getName()).isEqualTo("POST /order");
        assertThat(root.getSpanId()).isEqualTo(postSpanId);
        // the relay's publish: a child of the POST's span, seconds after it ended
        assertThat(trace).anySatisfy(s -> {
            assertThat(s.getName()).startsWith("publish sync_to_external");
            assertThat(s.getParentSpanId()).isEqualTo(postSpanId);
            assertThat(s.getStatus().getStatusCode()).isNotEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
            assertThat(s.getStartEpochNanos() - root.getEndEpochNanos()).isGreaterThan(Duration.ofSeconds(3).toNanos());
        });
    }
}
