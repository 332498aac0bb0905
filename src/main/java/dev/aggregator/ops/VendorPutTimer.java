package dev.aggregator.ops;

import dev.aggregator.order.DeliveryFailures;
import dev.aggregator.order.OrderDelivery;
import org.apache.camel.spi.CamelEvent;
import org.apache.camel.support.EventNotifierSupport;

/**
 * Times every order PUT to a vendor, whatever its outcome, from Camel's "exchange sent" events. It keeps
 * the delivery route free of timing code, and error handling sees the vendor's failures untouched.
 */
public class VendorPutTimer extends EventNotifierSupport {

    private final Metrics metrics;

    public VendorPutTimer(Metrics metrics) {
        this.metrics = metrics;
        setIgnoreCamelContextEvents(true);
        setIgnoreRouteEvents(true);
        setIgnoreServiceEvents(true);
        setIgnoreExchangeCreatedEvent(true);
        setIgnoreExchangeCompletedEvent(true);
        setIgnoreExchangeFailedEvents(true);
        setIgnoreExchangeRedeliveryEvents(true);
        setIgnoreExchangeSendingEvents(true);
        setIgnoreStepEvents(true);
    }

    @Override
    public boolean isEnabled(CamelEvent event) {
        return event instanceof CamelEvent.ExchangeSentEvent sent
                && sent.getExchange().getProperty(OrderDelivery.PUT_URL) != null
                && sent.getEndpoint().getEndpointUri().startsWith("http");
    }

    @Override
    public void notify(CamelEvent event) {
        CamelEvent.ExchangeSentEvent sent = (CamelEvent.ExchangeSentEvent) event;
        Throwable failure = sent.getExchange().getException();
        String outcome = failure == null ? "success" : DeliveryFailures.isTransient(failure) ? "transient" : "permanent";
        metrics.vendorPut(sent.getExchange().getProperty(OrderDelivery.VENDOR, String.class), outcome, sent.getTimeTaken() * 1_000_000L);
    }
}
