package dev.aggregator.support;

import java.time.Instant;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.springrabbit.SpringRabbitMQConstants;

/**
 * The one dead-letter route of both flows: the caller sets the reason (and its own headers) and names
 * the dead-letter queue and the queue the message came from; this route stamps the letter's id and time
 * (one format: ISO-8601 instants) and publishes it with a publisher confirm.
 */
public class DeadLetterRoutes extends RouteBuilder {

    /** Exchange properties the caller sets: where the letter goes, and which queue the message came from. */
    public static final String QUEUE = "deadLetterQueue";
    public static final String FROM_QUEUE = "deadLetterFromQueue";
    /**
     * The most characters of a reason a letter carries and the log line shows: a reason may quote what it
     * refused (issue 25: a number written out to a billion digits), and the broker refuses a message whose
     * headers do not fit in one frame (128 KiB by default), which would lose the letter.
     */
    static final int MAX_REASON = 1000;

    @Override
    public void configure() {
        from("direct:dead-letter")
                .routeId("dead-letter")
                .process(DeadLetterRoutes::stamp)
                .setHeader(SpringRabbitMQConstants.ROUTING_OVERRIDE_KEY, exchangeProperty(QUEUE))
                .log(LoggingLevel.WARN, "dev.aggregator.dlq",
                        "Dead-lettered to ${exchangeProperty." + QUEUE + "}: ${header." + DeadLetterHeaders.REASON + "}"
                                + "${header." + DeadLetterHeaders.ORDER_ID + " != null ? ' (order ' + header."
                                + DeadLetterHeaders.ORDER_ID + " + ')' : ''}")
                .to("spring-rabbitmq:default?confirm=enabled").id("publish-dead-letter");
    }

    /** Gives the letter its id and time unless the caller did already (an order's are stored with it). */
    public static void stamp(Exchange exchange) {
        var m = exchange.getMessage();
        if (m.getHeader(DeadLetterHeaders.ID) == null) {
            m.setHeader(DeadLetterHeaders.ID, UUID.randomUUID().toString());
        }
        if (m.getHeader(DeadLetterHeaders.FAILED_AT) == null) {
            m.setHeader(DeadLetterHeaders.FAILED_AT, Instant.now().toString());
        }
        String reason = m.getHeader(DeadLetterHeaders.REASON, String.class);
        if (reason != null && reason.length() > MAX_REASON) {
            m.setHeader(DeadLetterHeaders.REASON, reason.substring(0, MAX_REASON) + "…");
        }
        String from = exchange.getProperty(FROM_QUEUE, String.class);
        if (from != null) {
            m.setHeader(DeadLetterHeaders.ORIGINAL_QUEUE, from);
        }
    }
}
