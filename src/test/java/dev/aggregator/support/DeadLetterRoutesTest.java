package dev.aggregator.support;

import java.time.Instant;

import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every dead letter, of either flow, gets an id and an ISO-8601 time once, and names the queue it came from. */
class DeadLetterRoutesTest {

    private final Exchange exchange = new DefaultExchange(new DefaultCamelContext());

    @Test
    void aLetterIsStampedOnceWithAnIdAnInstantAndItsQueue() {
        exchange.setProperty(DeadLetterRoutes.FROM_QUEUE, "sync_from_external");
        DeadLetterRoutes.stamp(exchange);
        String id = exchange.getMessage().getHeader(DeadLetterHeaders.ID, String.class);
        String at = exchange.getMessage().getHeader(DeadLetterHeaders.FAILED_AT, String.class);
        assertThat(id).hasSize(36);
        assertThat(Instant.parse(at)).isBeforeOrEqualTo(Instant.now());
        assertThat(exchange.getMessage().getHeader(DeadLetterHeaders.ORIGINAL_QUEUE)).isEqualTo("sync_from_external");

        DeadLetterRoutes.stamp(exchange); // the order flow stamps before storing the letter; the route again
        assertThat(exchange.getMessage().getHeader(DeadLetterHeaders.ID)).isEqualTo(id);
        assertThat(exchange.getMessage().getHeader(DeadLetterHeaders.FAILED_AT)).isEqualTo(at);
    }

    /** Issue 25: a reason that quotes what it refused is cut before it is logged and published (a header must fit a frame). */
    @Test
    void aLongReasonIsCutToWhatALogLineAndAFrameHold() {
        exchange.getMessage().setHeader(DeadLetterHeaders.REASON, "price 1" + "0".repeat(200_000) + " is out of range");
        DeadLetterRoutes.stamp(exchange);
        assertThat(exchange.getMessage().getHeader(DeadLetterHeaders.REASON, String.class))
                .hasSize(DeadLetterRoutes.MAX_REASON + 1).startsWith("price 10").endsWith("0…");

        Exchange shortOne = new DefaultExchange(new DefaultCamelContext());
        shortOne.getMessage().setHeader(DeadLetterHeaders.REASON, "price -5 is out of range");
        DeadLetterRoutes.stamp(shortOne);
        assertThat(shortOne.getMessage().getHeader(DeadLetterHeaders.REASON)).isEqualTo("price -5 is out of range");
    }
}
