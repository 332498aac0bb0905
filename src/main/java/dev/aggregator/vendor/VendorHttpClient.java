package dev.aggregator.vendor;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;

/**
 * The HTTP client we talk to vendors with. Apache HttpClient quietly retries a PUT once on 503/429 (after a
 * second); our retries are counted, backed off and dead-lettered by the delivery route instead, so the
 * vendor must see exactly the attempts we record.
 */
public class VendorHttpClient implements HttpClientConfigurer {

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
    }
}
