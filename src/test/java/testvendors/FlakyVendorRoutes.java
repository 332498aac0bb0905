package testvendors;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/**
 * Vendors in trouble, for tests: one answers 500, one hangs far longer than our HTTP timeout.
 * Kept outside dev.aggregator so the application's package scan never picks it up.
 */
public class FlakyVendorRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("platform-http:/broken/products?httpMethodRestrict=GET")
                .routeId("test-broken-vendor")
                .setHeader(Exchange.HTTP_RESPONSE_CODE, constant(500))
                .setBody(constant("{\"error\":\"database on fire\"}"));

        from("platform-http:/hanging/products?httpMethodRestrict=GET")
                .routeId("test-hanging-vendor")
                .delay(5_000).asyncDelayed()
                .setBody(constant("[]"));
    }
}
