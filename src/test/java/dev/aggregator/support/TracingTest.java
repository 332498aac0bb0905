package dev.aggregator.support;

import java.util.Map;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TracingTest {

    @Test
    void onOnlyWithAnEndpointOrTheSwitch() {
        assertThat(Tracing.wanted(false, Map.<String, String>of()::get)).isFalse();
        assertThat(Tracing.wanted(false, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", " ")::get)).isFalse();
        assertThat(Tracing.wanted(false, Map.of("OTEL_SERVICE_NAME", "x")::get)).isFalse();
        assertThat(Tracing.wanted(false, Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", "http://collector:4318")::get)).isTrue();
        assertThat(Tracing.wanted(false, Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://collector:4318/v1/traces")::get)).isTrue();
        assertThat(Tracing.wanted(true, Map.<String, String>of()::get)).isTrue();
    }

    @Test
    void offThereIsNoContextToKeep() {
        assertThat(Tracing.traceparent()).isNull();
        assertThat(Tracing.publishSpan("q", null, "o").getSpanContext().isValid()).isFalse();
    }

    @Test
    void urlsLeaveWithoutQueryOrCredentialsAndKnownSecretsMasked() {
        assertThat(MaskingSpanExporter.withoutQuery("https://u:p@shop.example/api/products?key=abc&page=2"))
                .isEqualTo("https://shop.example/api/products");
        assertThat(MaskingSpanExporter.withoutQuery("http://vendor-a/x")).isEqualTo("http://vendor-a/x");
        SecretMasking.secrets(java.util.List.of("t0ken-value"));
        try {
            Attributes masked = MaskingSpanExporter.mask(Attributes.of(AttributeKey.stringKey("http.url"), "http://v/p?k=1",
                    AttributeKey.stringKey("note"), "sent t0ken-value", AttributeKey.longKey("n"), 3L));
            assertThat(masked.get(AttributeKey.stringKey("http.url"))).isEqualTo("http://v/p");
            assertThat(masked.get(AttributeKey.stringKey("note"))).doesNotContain("t0ken-value");
            assertThat(masked.get(AttributeKey.longKey("n"))).isEqualTo(3L);
        } finally {
            SecretMasking.secrets(java.util.List.of());
        }
    }

    @Test
    void camelsSpansAreNamedAndKindedAsWhatTheyAre() {
        assertThat(SpanNames.name(span("default", "camel-spring-rabbitmq", "acknowledgeMode=MANUAL&queues=sync_to_external.shop&prefetchCount=64", null)))
                .isEqualTo("consume sync_to_external.shop");
        assertThat(SpanNames.kind(span("default", "camel-spring-rabbitmq", "queues=sync_from_external", null)))
                .isEqualTo(io.opentelemetry.api.trace.SpanKind.CONSUMER);
        assertThat(SpanNames.name(span("default", "camel-spring-rabbitmq", "confirm=enabled&routingKey=sync_from_external", null)))
                .isEqualTo("publish sync_from_external");
        assertThat(SpanNames.kind(span("default", "camel-spring-rabbitmq", "confirm=enabled", null)))
                .isEqualTo(io.opentelemetry.api.trace.SpanKind.PRODUCER);
        assertThat(SpanNames.name(span("/order", "camel-rest", null, "POST"))).isEqualTo("POST /order");
        assertThat(SpanNames.kind(span("/order", "camel-rest", null, "POST"))).isEqualTo(io.opentelemetry.api.trace.SpanKind.SERVER);
        assertThat(SpanNames.kind(span("PUT", "camel-vertx-http", null, "PUT"))).isEqualTo(io.opentelemetry.api.trace.SpanKind.CLIENT);
        // anything else keeps its own name and kind
        assertThat(SpanNames.name(span("vendor-call-shop", "camel-direct", null, null))).isEqualTo("vendor-call-shop");
        assertThat(SpanNames.kind(span("vendor-call-shop", "camel-direct", null, null))).isEqualTo(io.opentelemetry.api.trace.SpanKind.INTERNAL);
    }

    private static io.opentelemetry.sdk.trace.data.SpanData span(String name, String component, String query, String method) {
        io.opentelemetry.api.common.AttributesBuilder a = Attributes.builder().put("component", component);
        if (query != null) {
            a.put("url.query", query);
        }
        if (method != null) {
            a.put("http.method", method);
        }
        return io.opentelemetry.sdk.testing.trace.TestSpanData.builder().setName(name)
                .setKind(io.opentelemetry.api.trace.SpanKind.INTERNAL)
                .setSpanContext(io.opentelemetry.api.trace.SpanContext.getInvalid())
                .setStartEpochNanos(1).setEndEpochNanos(2).setHasEnded(true)
                .setStatus(io.opentelemetry.sdk.trace.data.StatusData.unset())
                .setAttributes(a.build()).build();
    }
}
