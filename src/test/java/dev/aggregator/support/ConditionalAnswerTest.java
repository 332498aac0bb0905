package dev.aggregator.support;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConditionalAnswerTest {

    private static final RenderedAnswer ANSWER = RenderedAnswer.of("{\"products\":[]}".getBytes(StandardCharsets.UTF_8));

    private static Exchange request(String ifNoneMatch) {
        Exchange exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.getMessage().setHeader("vendor", "echo me not");
        if (ifNoneMatch != null) {
            exchange.getMessage().setHeader("If-None-Match", ifNoneMatch);
        }
        exchange.getMessage().setBody(ANSWER);
        return exchange;
    }

    @Test
    void theJsonWithItsETag() {
        Exchange exchange = request(null);
        ConditionalAnswer.respond(exchange);
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys("ETag", Exchange.CONTENT_TYPE);
        assertThat(exchange.getMessage().getHeader("ETag")).isEqualTo(ANSWER.etag());
        ByteBuffer body = exchange.getMessage().getBody(ByteBuffer.class);
        assertThat(StandardCharsets.UTF_8.decode(body).toString()).isEqualTo("{\"products\":[]}");
        assertThat(request("\"other\"")).satisfies(e -> {
            ConditionalAnswer.respond(e);
            assertThat(e.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isNull();
        });
    }

    @Test
    void notModifiedWithoutABody() {
        Exchange exchange = request("W/" + ANSWER.etag());
        ConditionalAnswer.respond(exchange);
        assertThat(exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE)).isEqualTo(304);
        assertThat(exchange.getMessage().getBody()).isNull();
        assertThat(exchange.getMessage().getHeaders()).containsOnlyKeys("ETag", Exchange.HTTP_RESPONSE_CODE);
    }
}
