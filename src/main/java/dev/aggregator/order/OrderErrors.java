package dev.aggregator.order;

import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.model.RouteConfigurationDefinition;
import org.springframework.dao.DataAccessException;

/**
 * How order delivery fails, in one place: transient vendor trouble is redelivered with exponential
 * backoff and then dead-lettered; a permanent 4xx or an unusable message is dead-lettered at once;
 * our own database trouble is retried and then the message is requeued, never dropped.
 */
public class OrderErrors extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        int maxAttempts = Integer.parseInt(getContext().resolvePropertyPlaceholders("{{aggregator.delivery.max-attempts}}"));
        long backoff = Long.parseLong(getContext().resolvePropertyPlaceholders("{{aggregator.delivery.backoff-ms}}"));

        RouteConfigurationDefinition delivery = routeConfiguration("order-delivery-errors");
        // Called the moment a vendor call fails (before any backoff): times the failed PUT.
        delivery.errorHandler(defaultErrorHandler().onExceptionOccurred(
                e -> e.getContext().getRegistry().lookupByNameAndType("orderDelivery", OrderDelivery.class).putFailed(e)));
        delivery.onException(Exception.class)
                .onWhen(e -> DeliveryFailures.isTransient(e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class)))
                .maximumRedeliveries(maxAttempts - 1)
                .redeliveryDelay(backoff).useExponentialBackOff().backOffMultiplier(2)
                .retryAttemptedLogLevel(LoggingLevel.DEBUG)
                .onRedelivery(e -> e.getContext().getRegistry().lookupByNameAndType("orderDelivery", OrderDelivery.class).retrying(e))
                .retriesExhaustedLogLevel(LoggingLevel.DEBUG)
                .logStackTrace(false)
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
        delivery.onException(Exception.class)
                .onWhen(e -> DeliveryFailures.isPermanent(e.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Throwable.class)))
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
        delivery.onException(InvalidOrderMessageException.class)
                .handled(true)
                .useOriginalMessage()
                .to("direct:order-dead-letter");
        delivery.onException(DataAccessException.class)
                .maximumRedeliveries(5).redeliveryDelay(1000)
                .retryAttemptedLogLevel(LoggingLevel.DEBUG);
    }
}
