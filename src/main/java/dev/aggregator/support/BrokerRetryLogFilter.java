package dev.aggregator.support;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.turbo.TurboFilter;
import ch.qos.logback.core.spi.FilterReply;
import org.slf4j.Marker;

/**
 * Drops Spring's "Error creating consumer; retrying" (an ERROR with a 40-line stack trace, one per consumer)
 * while the broker cannot be reached at start-up: the contract asks for one line naming the address, which
 * ConnectivityMonitor writes, and the consumers retry by themselves. Every other line of that logger stays
 * (a cancelled consumer, a listener failure).
 */
public class BrokerRetryLogFilter extends TurboFilter {

    @Override
    public FilterReply decide(Marker marker, Logger logger, Level level, String format, Object[] params, Throwable t) {
        if (format != null && logger.getName().endsWith("DirectMessageListenerContainer") && format.startsWith("Error creating consumer")
                && (t instanceof org.springframework.amqp.AmqpConnectException || t instanceof org.springframework.amqp.AmqpIOException
                    || t instanceof org.springframework.amqp.AmqpAuthenticationException)) {
            return FilterReply.DENY;
        }
        return FilterReply.NEUTRAL;
    }
}
