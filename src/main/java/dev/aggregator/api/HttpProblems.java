package dev.aggregator.api;

import org.apache.camel.builder.RouteConfigurationBuilder;

/** Error handling shared by every HTTP route (API and demo vendors); routes opt in by id. */
public class HttpProblems extends RouteConfigurationBuilder {

    @Override
    public void configuration() {
        // Every HTTP route answers client mistakes as problem+json, never a stack trace.
        routeConfiguration("http-problems")
                .onException(Exception.class)
                    .handled(true)
                    .bean("problemResponder", "render");

    }
}
