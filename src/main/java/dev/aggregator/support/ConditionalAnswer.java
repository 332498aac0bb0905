package dev.aggregator.support;

import org.apache.camel.Exchange;
import org.apache.camel.Message;

/**
 * The HTTP side of a rendered answer: its ETag, and 304 with no body when the client's If-None-Match already
 * names it; otherwise 200 with the JSON. No request header is echoed back.
 */
public final class ConditionalAnswer {

    private ConditionalAnswer() {
    }

    public static void respond(Exchange exchange) {
        Message message = exchange.getMessage();
        RenderedAnswer answer = message.getBody(RenderedAnswer.class);
        boolean notModified = ETags.matches(message.getHeader("If-None-Match", String.class), answer.etag());
        message.removeHeaders("*");
        message.setHeader("ETag", answer.etag());
        if (notModified) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 304);
            message.setBody(null);
        } else {
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
            message.setBody(answer.buffer());
        }
    }
}
