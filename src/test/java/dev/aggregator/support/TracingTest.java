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
}
