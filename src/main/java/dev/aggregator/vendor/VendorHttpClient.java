package dev.aggregator.vendor;

import org.apache.camel.component.http.HttpClientConfigurer;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.impl.classic.HttpClientBuilder;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.util.Timeout;

/**
 * The HTTP client we poll vendors with. Apache HttpClient quietly retries a PUT once on 503/429 (after a
 * second); our retries are counted, backed off and dead-lettered by the delivery route instead, so the
 * vendor must see exactly the attempts we record.
 */
public class VendorHttpClient implements HttpClientConfigurer {

    /** The pool every poller shares, with the component's time-outs (camel.component.http.*). */
    public static PoolingHttpClientConnectionManager connectionManager(long connectTimeoutMillis, long socketTimeoutMillis) {
        return PoolingHttpClientConnectionManagerBuilder.create()
                .setMaxConnTotal(200)
                .setMaxConnPerRoute(20)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.ofMilliseconds(connectTimeoutMillis))
                        .setSocketTimeout(Timeout.ofMilliseconds(socketTimeoutMillis))
                        .build())
                .build();
    }

    @Override
    public void configureHttpClient(HttpClientBuilder builder) {
        builder.disableAutomaticRetries();
        // The connection pool is the component's, shared by every vendor's poller: an endpoint that stops
        // with its route (a vendor file changed or deleted) closes its client, and without this the shared
        // pool with it ("Connection pool shut down" for every vendor's next poll).
        builder.setConnectionManagerShared(true);
    }
}
