package dev.aggregator.support;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;

/**
 * What a span of Camel's is called and what kind it is, as a trace backend shows them. camel-opentelemetry2 names
 * a span after its endpoint's path and makes every span INTERNAL: every RabbitMQ span was "default" (the exchange
 * in spring-rabbitmq:default?…), which says nothing, and a backend draws no service map without kinds. Applied as
 * spans leave (MaskingSpanExporter), from the attributes Camel wrote; any other span keeps its name and kind.
 */
final class SpanNames {

    static final AttributeKey<String> COMPONENT = AttributeKey.stringKey("component");
    static final AttributeKey<String> QUERY = AttributeKey.stringKey("url.query");
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.method");

    private SpanNames() {
    }

    /** "consume sync_to_external.shop", "publish sync_from_external", "POST /order"; else the span's own name. */
    static String name(SpanData span) {
        String component = span.getAttributes().get(COMPONENT);
        if ("camel-spring-rabbitmq".equals(component)) {
            String query = span.getAttributes().get(QUERY);
            String queue = parameter(query, "queues");
            if (queue != null) {
                return "consume " + queue;
            }
            String key = parameter(query, "routingKey");
            // without a routingKey in the endpoint the key came in a header (dead letters): the message is named by it
            return key != null ? "publish " + key : "publish";
        }
        if ("camel-rest".equals(component) && span.getAttributes().get(METHOD) != null && span.getName().startsWith("/")) {
            return span.getAttributes().get(METHOD) + " " + span.getName();
        }
        return span.getName();
    }

    static SpanKind kind(SpanData span) {
        String component = span.getAttributes().get(COMPONENT);
        if (span.getKind() != SpanKind.INTERNAL || component == null) {
            return span.getKind();
        }
        return switch (component) {
            case "camel-spring-rabbitmq" -> parameter(span.getAttributes().get(QUERY), "queues") != null ? SpanKind.CONSUMER : SpanKind.PRODUCER;
            case "camel-rest", "camel-platform-http" -> SpanKind.SERVER;
            case "camel-http", "camel-vertx-http" -> SpanKind.CLIENT;
            default -> SpanKind.INTERNAL;
        };
    }

    /** One parameter of a URL query ("a=1&queues=x&b=2"), or null. */
    static String parameter(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0 && pair.substring(0, eq).equals(name)) {
                return java.net.URLDecoder.decode(pair.substring(eq + 1), java.nio.charset.StandardCharsets.UTF_8);
            }
        }
        return null;
    }
}
