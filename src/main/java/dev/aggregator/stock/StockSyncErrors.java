package dev.aggregator.stock;

import dev.aggregator.config.SchemaMigrator.SchemaNotReadyException;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;

/** Error handling of the stock-sync routes, in one place; routes opt in by id. */
public class StockSyncErrors extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // A failed poll is logged in one line and tried again at the next period, never sooner (a vendor
        // refusing our credentials is asked once per period, not in a loop); other vendors are unaffected
        // because every vendor has its own timer thread and the HTTP client has timeouts.
        routeConfiguration("vendor-poll-errors")
                .onException(Exception.class)
                    .handled(true)
                    // vendorStatus says what went wrong in an operator's words, the vendor's secrets hidden
                    // (an error may quote a URL or an answer): one line per poll, no stack trace.
                    .bean("vendorStatus", "failed")
                    .log(LoggingLevel.WARN, "dev.aggregator.stock.poll",
                            "Poll of vendor ${exchangeProperty.vendor} failed after ${exchangeProperty.catalogProducts} products: ${exchangeProperty.pollError}");

        // Database trouble keeps the message unacknowledged and retries it (then requeues it); a message that can never be
        // stored goes to the dead-letter queue with its reason, so it neither loops nor blocks the queue.
        RouteConfigurationDefinition stockSync = routeConfiguration("stock-sync-errors");
        stockSync.onException(SchemaNotReadyException.class, DataAccessResourceFailureException.class,
                                TransientDataAccessException.class, java.sql.SQLTransientException.class)
                    // After these the message is nacked and requeued by the broker: slow retry, never lost.
                    .maximumRedeliveries(8)
                    .redeliveryDelay(250).useExponentialBackOff().backOffMultiplier(2).maximumRedeliveryDelay(5000)
                    .retryAttemptedLogLevel(LoggingLevel.DEBUG);
        // PostgreSQL refused the upsert for a value in one of its rows (SQLState class 22 or 23, e.g. a check):
        // the rows are upserted one by one, so that only the refused one is lost (StockSyncRoutes).
        stockSync.onException(DataIntegrityViolationException.class)
                    .onWhen(exchangeProperty(StockSyncRoutes.ROWS).isNotNull())
                    .handled(true)
                    .to("direct:stock-upsert-singly");
        stockSync.onException(Exception.class)
                    .handled(true)
                    .useOriginalMessage()
                    .to("direct:stock-dead-letter");
    }
}
