package dev.aggregator.support;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.data.DelegatingSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/**
 * Every span leaves through here: Camel's HTTP spans write the URL they called, and a vendor's URL may hold an
 * API key in its query or user:password (VendorAccess). Query strings of URLs are dropped (we cannot tell a key
 * from a filter), and every string passes SecretMasking, like every log line. Camel's spans are also named and
 * kinded here (SpanNames).
 */
final class MaskingSpanExporter implements SpanExporter {

    private static final AttributeKey<String> HTTP_URL = AttributeKey.stringKey("http.url");

    private final SpanExporter delegate;

    MaskingSpanExporter(SpanExporter delegate) {
        this.delegate = delegate;
    }

    @Override
    public CompletableResultCode export(Collection<SpanData> spans) {
        List<SpanData> masked = new ArrayList<>(spans.size());
        for (SpanData span : spans) {
            Attributes attributes = mask(span.getAttributes());
            String name = SpanNames.name(span);
            io.opentelemetry.api.trace.SpanKind kind = SpanNames.kind(span);
            masked.add(new DelegatingSpanData(span) {
                @Override
                public Attributes getAttributes() {
                    return attributes;
                }

                @Override
                public String getName() {
                    return name;
                }

                @Override
                public io.opentelemetry.api.trace.SpanKind getKind() {
                    return kind;
                }
            });
        }
        return delegate.export(masked);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Attributes mask(Attributes attributes) {
        AttributesBuilder b = Attributes.builder();
        attributes.forEach((key, value) -> {
            if (value instanceof String s) {
                String text = HTTP_URL.equals(key) ? withoutQuery(s) : s;
                b.put((AttributeKey<String>) key, SecretMasking.mask(text));
            } else {
                b.put((AttributeKey) key, value);
            }
        });
        return b.build();
    }

    /** A URL without its query string and without user:password. */
    static String withoutQuery(String url) {
        int q = url.indexOf('?');
        String bare = q < 0 ? url : url.substring(0, q);
        int scheme = bare.indexOf("://");
        int at = bare.indexOf('@');
        int slash = scheme < 0 ? -1 : bare.indexOf('/', scheme + 3);
        if (scheme >= 0 && at > scheme && (slash < 0 || at < slash)) {
            bare = bare.substring(0, scheme + 3) + bare.substring(at + 1);
        }
        return bare;
    }

    @Override
    public CompletableResultCode flush() {
        return delegate.flush();
    }

    @Override
    public CompletableResultCode shutdown() {
        return delegate.shutdown();
    }
}
