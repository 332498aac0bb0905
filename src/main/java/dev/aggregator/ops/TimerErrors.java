package dev.aggregator.ops;

import dev.aggregator.config.DatabaseUnavailable;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;

/**
 * Error handling of the timer routes that work on the database (outbox relay, reconciliation, ops
 * overview): while PostgreSQL is unreachable they skip their turn quietly, because the connectivity
 * monitor has said so once in the log; their next tick tries again. Any other failure is logged in full.
 */
public class TimerErrors extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        routeConfiguration("database-timers")
                .onException(DatabaseUnavailable.TYPES)
                    .handled(true)
                    .log(LoggingLevel.DEBUG, "dev.aggregator.ops.timers", "${routeId} skipped: ${exception.message}");
    }
}
