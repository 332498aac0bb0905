package dev.aggregator.demo;

import dev.aggregator.config.Settings;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;

/** Serves the built-in demo vendors on the service's own HTTP server (off with DEMO_VENDORS=false). */
public class DemoVendorRoutes extends RouteBuilder {

    @BeanInject("settings")
    private Settings settings;

    @Override
    public void configure() {
        if (!settings.demoVendors()) {
            return;
        }
        // vendorA answers like dummyjson (paged); vendorB answers a bare array with other field names.
        from("platform-http:/vendorA/products?httpMethodRestrict=GET")
                .routeId("demo-vendorA-list")
                .routeConfigurationId("http-problems")
                .bean("demoVendorA", "page(${header.limit}, ${header.skip})")
                .to("direct:demo-json-answer");

        from("platform-http:/vendorB/products?httpMethodRestrict=GET")
                .routeId("demo-vendorB-list")
                .routeConfigurationId("http-problems")
                .bean("demoVendorB", "all")
                .to("direct:demo-json-answer");

        from("platform-http:/vendorA/products/{id}?httpMethodRestrict=PUT")
                .routeId("demo-vendorA-order")
                .routeConfigurationId("http-problems")
                // Only when latency is injected: even a zero asyncDelayed delay costs a scheduler hop.
                .filter(method("demoVendorA", "latencyMs").isGreaterThan(0))
                    .delay(method("demoVendorA", "latencyMs")).asyncDelayed().end() // closes the delay
                .end() // closes the filter
                .bean("demoVendorA", "answerOrder");

        from("platform-http:/vendorB/products/{id}?httpMethodRestrict=PUT")
                .routeId("demo-vendorB-order")
                .routeConfigurationId("http-problems")
                // Only when latency is injected: even a zero asyncDelayed delay costs a scheduler hop.
                .filter(method("demoVendorB", "latencyMs").isGreaterThan(0))
                    .delay(method("demoVendorB", "latencyMs")).asyncDelayed().end() // closes the delay
                .end() // closes the filter
                .bean("demoVendorB", "answerOrder");

        // Fault injection for demos and tests (admin token required): watch retries and dead letters live.
        from("platform-http:/admin/demo/{vendor}/faults?httpMethodRestrict=GET,PUT")
                .routeId("demo-vendor-faults")
                .routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .convertBodyTo(String.class)
                .bean(DemoVendorFaults.class, "apply")
                .to("direct:json-answer");

        from("direct:demo-json-answer")
                .routeId("demo-json-answer")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("application/json"));

    }
}
