package dev.aggregator.support;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.telemetry.SpanStorageManagerExchange;
import org.springframework.amqp.core.MessageProperties;

/**
 * OpenTelemetry traces (README "Observability"). Off unless OTEL_EXPORTER_OTLP_ENDPOINT (or
 * OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) is set or aggregator.tracing is true: then the SDK is built from the
 * standard OTEL_* variables (autoconfigure) and handed to camel-opentelemetry2, which makes the spans of
 * every route and endpoint and carries W3C traceparent over HTTP and the Camel RabbitMQ consumers. What
 * Camel does not see is done here: our own publishes (QueuePublisher writes to the channel itself) and the
 * outbox row, which keeps the order's context for a relay publish minutes later.
 *
 * Off, no SDK exists: the API answers no-ops, no exporter thread runs and no header is written.
 * Static because the log layout and the publishers (plain classes) read it; one per JVM, like the SDK.
 */
public final class Tracing {

    public static final String TRACEPARENT = "traceparent";
    public static final String TRACESTATE = "tracestate";

    private static final Tracer NOOP = OpenTelemetry.noop().getTracer("order-aggregator");

    private static volatile OpenTelemetry otel = OpenTelemetry.noop();
    private static volatile Tracer tracer = NOOP;
    private static final SpanStorageManagerExchange CAMEL_SPANS = new SpanStorageManagerExchange();
    /** Held: java.util.logging keeps its loggers weakly, and with them the handler set here. */
    private static final java.util.logging.Logger SDK_LOG = java.util.logging.Logger.getLogger("io.opentelemetry");

    private Tracing() {
    }

    /** Whether traces are on: an OTLP endpoint in the environment, or the switch. */
    public static boolean wanted(boolean aggregatorTracing, Function<String, String> env) {
        return aggregatorTracing || present(env.apply("OTEL_EXPORTER_OTLP_ENDPOINT"))
                || present(env.apply("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"));
    }

    private static boolean present(String s) {
        return s != null && !s.isBlank();
    }

    /**
     * The SDK from OTEL_* (environment, system properties), with our defaults under them and the otel.*
     * keys of the Camel properties (application.properties, tests) between; metrics and logs stay with
     * Prometheus and stdout. Camel's tracer is registered on the context. Returns the SDK to close at shutdown.
     */
    public static OpenTelemetrySdk start(CamelContext context, Function<String, String> env, Map<String, String> otelProperties) {
        // The SDK's own messages (a collector away: "Failed to export spans", throttled) through logback like
        // every other line, instead of java.util.logging's two-line format with a stack trace on stderr.
        if (java.util.Arrays.stream(SDK_LOG.getHandlers()).noneMatch(h -> h instanceof org.slf4j.bridge.SLF4JBridgeHandler)) {
            SDK_LOG.setUseParentHandlers(false);
            SDK_LOG.addHandler(new org.slf4j.bridge.SLF4JBridgeHandler());
        }
        Map<String, String> defaults = new HashMap<>();
        String resource = env.apply("OTEL_RESOURCE_ATTRIBUTES");
        // otel.service.name wins over a service.name in OTEL_RESOURCE_ATTRIBUTES: default it only when neither says
        if (resource == null || !resource.contains("service.name=")) {
            defaults.put("otel.service.name", "order-aggregator");
        }
        defaults.put("otel.metrics.exporter", "none");
        defaults.put("otel.logs.exporter", "none");
        defaults.putAll(otelProperties);
        OpenTelemetrySdk sdk = AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults)
                .addSpanExporterCustomizer((exporter, config) -> new MaskingSpanExporter(exporter))
                .disableShutdownHook() // closed with the Camel context (Resources), after the last span ended
                .build()
                .getOpenTelemetrySdk();
        use(sdk);
        // camel-opentelemetry2 looks these up by type before it falls back to GlobalOpenTelemetry (left unset).
        context.getRegistry().bind("openTelemetryTracer", Tracer.class, sdk.getTracer("camel"));
        context.getRegistry().bind("openTelemetryPropagators", ContextPropagators.class, sdk.getPropagators());
        OpenTelemetryTracer camel = new OpenTelemetryTracer();
        // The relays and monitors tick every few hundred ms and find nothing almost every time: no trace each.
        camel.setExcludePatterns("timer:*");
        camel.init(context);
        return sdk;
    }

    /** Uses this OpenTelemetry for our own spans and headers (start(); tests with an in-memory SDK). */
    public static void use(OpenTelemetry openTelemetry) {
        otel = openTelemetry;
        tracer = openTelemetry.getTracer("order-aggregator");
    }

    /** Back to off (the context stopped): a later context in this JVM starts clean. */
    public static void stop() {
        otel = OpenTelemetry.noop();
        tracer = NOOP;
    }

    /** Whether spans are made (tracing on): callers skip building what only a span would use. */
    public static boolean enabled() {
        return tracer != NOOP;
    }

    /** The current context as a W3C traceparent, or null (off, or no span current): kept in the outbox row. */
    public static String traceparent() {
        return traceparentOf(Span.current());
    }

    /**
     * A PRODUCER span for one message of ours to a queue, child of the given traceparent (the order's, from
     * the outbox) or of the current span; not started (no-op) when tracing is off. End it after the confirm.
     */
    public static Span publishSpan(String queue, String parentTraceparent, String orderId) {
        if (tracer == NOOP) {
            return Span.getInvalid();
        }
        Context parent = parentTraceparent == null ? Context.current() : extract(parentTraceparent);
        Span span = tracer.spanBuilder("publish " + queue).setSpanKind(SpanKind.PRODUCER).setParent(parent)
                .setAttribute("messaging.system", "rabbitmq")
                .setAttribute("messaging.destination.name", queue)
                .startSpan();
        if (orderId != null) {
            span.setAttribute("order.id", orderId);
        }
        return span;
    }

    /**
     * An INTERNAL span, child of the given traceparent or the current span, started now; not started (no-op) when tracing is off. The
     * caller ends it (try/finally). For work of ours that Camel makes no span of (the lane's confirm).
     */
    public static Span startSpan(String name, String parentTraceparent) {
        if (tracer == NOOP) {
            return Span.getInvalid();
        }
        return tracer.spanBuilder(name).setParent(parent(parentTraceparent)).startSpan();
    }

    /**
     * The given traceparent's context (a message's, kept by the lane), else the current one. On the lane's worker
     * threads no Camel span is current (asynchronous hand-offs), so the message's own context is the parent.
     */
    private static Context parent(String traceparent) {
        return traceparent == null || traceparent.isBlank() ? Context.current() : extract(traceparent);
    }

    /**
     * A span for time already spent waiting, child of the given traceparent or the current span: from the given instant to now, with its
     * attributes. Waiting (a rate limit, an open breaker, a vendor's Retry-After, a retry's backoff) holds no
     * thread and runs no code, so no span is open while it lasts: it is written once the wait is over.
     */
    public static void waited(String name, String parentTraceparent, long fromEpochMillis, Map<String, Object> attributes) {
        if (tracer == NOOP) {
            return;
        }
        Span span = tracer.spanBuilder(name).setParent(parent(parentTraceparent))
                .setStartTimestamp(fromEpochMillis, java.util.concurrent.TimeUnit.MILLISECONDS).startSpan();
        attributes.forEach((k, v) -> {
            if (v != null) {
                span.setAttribute(k, String.valueOf(v));
            }
        });
        span.end();
    }

    /**
     * A span of the current trace (an operator's replay request) that links to another trace (the order's first,
     * from its traceparent; no link when there is none), with the order's id. The caller ends it.
     */
    public static Span linkedSpan(String name, String linkedTraceparent, String orderId) {
        if (tracer == NOOP) {
            return Span.getInvalid();
        }
        io.opentelemetry.api.trace.SpanBuilder builder = tracer.spanBuilder(name).setParent(Context.current());
        if (linkedTraceparent != null && !linkedTraceparent.isBlank()) {
            SpanContext linked = Span.fromContext(extract(linkedTraceparent)).getSpanContext();
            if (linked.isValid()) {
                builder.addLink(linked);
            }
        }
        Span span = builder.startSpan();
        span.setAttribute("order.id", orderId);
        return span;
    }

    /** The span's context as a W3C traceparent, or null (off: an invalid span). */
    public static String traceparentOf(Span span) {
        SpanContext c = span.getSpanContext();
        return c.isValid() ? "00-" + c.getTraceId() + "-" + c.getSpanId() + "-" + c.getTraceFlags().asHex() : null;
    }

    /** Writes the span's context into the message headers (traceparent, tracestate), which Camel's consumer reads. */
    public static void inject(Span span, MessageProperties props) {
        if (!span.getSpanContext().isValid()) {
            return;
        }
        otel.getPropagators().getTextMapPropagator().inject(Context.current().with(span), props,
                (p, key, value) -> p.setHeader(key, value));
    }

    /** An attribute on the span Camel has current for this exchange (e.g. the vendor call's). Never a secret. */
    public static void tag(Exchange exchange, String key, Object value) {
        if (tracer == NOOP || value == null) {
            return;
        }
        org.apache.camel.telemetry.Span span = CAMEL_SPANS.peek(exchange);
        if (span != null) {
            span.setTag(key, String.valueOf(value));
        }
    }

    private static Context extract(String traceparent) {
        return otel.getPropagators().getTextMapPropagator().extract(Context.root(), traceparent, new TextMapGetter<>() {
            @Override
            public Iterable<String> keys(String carrier) {
                return java.util.List.of(TRACEPARENT);
            }

            @Override
            public String get(String carrier, String key) {
                return TRACEPARENT.equals(key) ? carrier : null;
            }
        });
    }
}
