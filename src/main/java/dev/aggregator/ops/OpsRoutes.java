package dev.aggregator.ops;

import org.apache.camel.builder.RouteBuilder;

/** Background checks that operators rely on. */
public class OpsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:connectivity?period={{aggregator.connectivity.check-period}}&delay=0")
                .routeId("connectivity-monitor")
                .bean("connectivityMonitor", "check");
    }
}
