package dev.aggregator.support;

import java.util.List;
import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No OTEL_EXPORTER_OTLP_ENDPOINT, no switch: no SDK, so no exporter thread runs or retries, no tracer is
 * registered with Camel, and no traceparent leaves on the vendor's PUT or in the order's log lines.
 */
class TracingOffIT extends AggregatorTestSupport {

    private CountingVendor shop;

    @Override
    protected void settings(Properties p) {
        shop = outsideVendor("shop", 5, 5);
        p.setProperty("VENDOR_URL_1", shop.url());
        // what a collector's address would be, but not in the environment: Tracing reads only the environment
        p.setProperty("otel.traces.exporter", "otlp");
    }

    @Test
    void withNoEndpointNothingTracesOrExports() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null
                && System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == null, "an OTLP endpoint is set for this JVM");
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 5);
        String orderId = json(post("{\"id\":\"2\",\"vendor\":\"shop\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(orderId, "SYNCED");

        assertThat(shop.traceparents(orderId)).containsExactly("");
        assertThat(shop.pollTraceparents()).isNotEmpty().containsOnly("");
        assertThat(context.getRegistry().findByType(io.opentelemetry.api.trace.Tracer.class)).isEmpty();
        assertThat(context.hasService(org.apache.camel.opentelemetry2.OpenTelemetryTracer.class)).isNull();
        assertThat(Tracing.traceparent()).isNull();
        // the SDK's exporter and batch threads (BatchSpanProcessor_WorkerThread, OkHttp) would be named so; a
        // traced test class before this one in the JVM closed its SDK, whose worker may take a moment to end
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(5)).until(() -> Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName).filter(n -> n.contains("BatchSpanProcessor") || n.contains("OkHttp") || n.contains("otel")).toList(),
                List::isEmpty);
    }
}
