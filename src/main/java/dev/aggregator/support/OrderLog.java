package dev.aggregator.support;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import org.slf4j.Logger;
import org.slf4j.MDC;

/**
 * One log line about an order, with its id and vendor in the MDC so grep tells an order's whole story, and,
 * when tracing is on, the trace_id and span_id of the span current on this thread, so the line leads to the
 * order's trace (README "Observability").
 */
public final class OrderLog {

    private OrderLog() {
    }

    public static void info(Logger log, String orderId, String vendor, String message, Object... args) {
        if (!log.isInfoEnabled()) {
            return;
        }
        SpanContext span = Span.current().getSpanContext();
        try (MDC.MDCCloseable id = MDC.putCloseable("orderId", orderId);
             MDC.MDCCloseable v = MDC.putCloseable("vendor", vendor);
             MDC.MDCCloseable t = trace(span, "trace_id", span.getTraceId());
             MDC.MDCCloseable s = trace(span, "span_id", span.getSpanId())) {
            log.info(message, args);
        }
    }

    public static void warn(Logger log, String orderId, String vendor, String message, Object... args) {
        SpanContext span = Span.current().getSpanContext();
        try (MDC.MDCCloseable id = MDC.putCloseable("orderId", orderId);
             MDC.MDCCloseable v = MDC.putCloseable("vendor", vendor);
             MDC.MDCCloseable t = trace(span, "trace_id", span.getTraceId());
             MDC.MDCCloseable s = trace(span, "span_id", span.getSpanId())) {
            log.warn(message, args);
        }
    }

    /**
     * logback.xml's %traceIds: " trace_id=… span_id=…" on a line that has them (tracing on, an OrderLog line),
     * nothing on the others. A %replace with a regular expression did this on every line before (issue 28).
     */
    public static final class TraceIds extends ch.qos.logback.classic.pattern.ClassicConverter {
        @Override
        public String convert(ch.qos.logback.classic.spi.ILoggingEvent event) {
            java.util.Map<String, String> mdc = event.getMDCPropertyMap();
            String traceId = mdc.get("trace_id");
            if (traceId == null || traceId.isEmpty()) {
                return "";
            }
            String spanId = mdc.get("span_id");
            return " trace_id=" + traceId + " span_id=" + (spanId == null ? "" : spanId);
        }
    }

    /** Off (no span current): nothing in the MDC, so the layout writes nothing for it. */
    private static MDC.MDCCloseable trace(SpanContext span, String key, String value) {
        return span.isValid() ? MDC.putCloseable(key, value) : null;
    }
}
