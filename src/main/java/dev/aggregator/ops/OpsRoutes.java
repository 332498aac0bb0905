package dev.aggregator.ops;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;

/** What operators use: the admin API for dead letters, /metrics, /dashboard, and the background jobs. */
public class OpsRoutes extends RouteBuilder {

    @Override
    public void configure() {
        from("timer:connectivity?period={{aggregator.connectivity.check-period}}&delay=0")
                .routeId("connectivity-monitor")
                .bean("connectivityMonitor", "check");

        from("timer:reconcile?period={{aggregator.reconcile.period-ms}}&delay={{aggregator.reconcile.period-ms}}")
                .routeId("reconciliation")
                .routeConfigurationId("database-timers")
                .bean("schema", "requireReady")
                .bean("reconciler", "run");

        from("timer:ops-overview?period={{aggregator.ops.overview-period-ms}}&delay=2000")
                .routeId("ops-overview-refresh")
                .routeConfigurationId("database-timers")
                .bean("schema", "requireReady")
                .bean("opsOverview", "refresh");

        // The dashboard's trend charts: one sample per period, in memory (no database, no broker call).
        from("timer:trends?period={{aggregator.ops.trends-period-ms}}&delay={{aggregator.ops.trends-period-ms}}")
                .routeId("trends-sample")
                .bean("trendSampler", "sample");

        rest("/admin/dlq").description("Dead letters (Authorization: Bearer $ADMIN_TOKEN)")
                .get("/{queue}").id("rest-browse-dlq")
                    .description("List dead letters without consuming or reordering them")
                    .produces("application/json")
                    .param().name("queue").type(RestParamType.path).description("sync_to_external_dlq or sync_from_external_dlq").endParam()
                    .param().name("limit").type(RestParamType.query).required(false).dataType("integer").endParam()
                    .responseMessage().code(200).message("{queue, total, deadLetters: [{messageId, orderId, reason, attempts, failedAt, body}]}").endResponseMessage()
                    .responseMessage().code(401).message("no bearer token").endResponseMessage()
                    .responseMessage().code(403).message("wrong token, or ADMIN_TOKEN unset").endResponseMessage()
                    .responseMessage().code(404).message("no such dead-letter queue").endResponseMessage()
                    .to("direct:admin-browse-dlq")
                .post("/{queue}/replay").id("rest-replay-dlq")
                    .description("Replay every dead letter: orders go back to PENDING with stock reserved again")
                    .produces("application/json")
                    .responseMessage().code(200).message("{replayed: [ids], refused: [{messageId, reason}]}").endResponseMessage()
                    .to("direct:admin-replay-dlq")
                .post("/{queue}/replay/{messageId}").id("rest-replay-one-dlq")
                    .description("Replay one dead letter")
                    .produces("application/json")
                    .responseMessage().code(200).message("{replayed: [id], refused: […]}").endResponseMessage()
                    .responseMessage().code(404).message("no such dead letter").endResponseMessage()
                    .to("direct:admin-replay-one-dlq")
                .delete("/{queue}/{messageId}").id("rest-discard-dlq")
                    .description("Discard one dead letter (logged)")
                    .produces("application/json")
                    .responseMessage().code(200).message("{discarded: {…}}").endResponseMessage()
                    .responseMessage().code(404).message("no such dead letter").endResponseMessage()
                    .to("direct:admin-discard-dlq");

        rest("/admin/orders").description("Orders (Authorization: Bearer $ADMIN_TOKEN)")
                .post("/{orderId}/replay").id("rest-replay-order")
                    .description("Replay a FAILED order by its id: PENDING again, stock reserved again, delivered again")
                    .produces("application/json")
                    .responseMessage().code(200).message("{orderId, status: PENDING}").endResponseMessage()
                    .responseMessage().code(404).message("no such order").endResponseMessage()
                    .responseMessage().code(409).message("not FAILED, or not enough stock (problem+json)").endResponseMessage()
                    .to("direct:admin-replay-order");

        from("direct:admin-replay-order").routeId("admin-replay-order").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("deadLetters", "replayOrder")
                .to("direct:json-answer");

        rest("/admin/vendors").description("Vendors (Authorization: Bearer $ADMIN_TOKEN)")
                .post("/preview").id("rest-preview-vendor-file")
                    .description("A vendor file's YAML in the body: its first page fetched and mapped, and the request a sample "
                            + "order would become; nothing stored, nothing sent to the order endpoint")
                    .consumes("application/yaml,text/plain").produces("application/json")
                    .responseMessage().code(200).message("{vendor, request, status, products, rejected: [{record, reason}], order: {method, url, headers, body}}").endResponseMessage()
                    .responseMessage().code(400).message("the file cannot be used (problem+json names the setting)").endResponseMessage()
                    .responseMessage().code(422).message("the first page cannot be read as configured").endResponseMessage()
                    .responseMessage().code(502).message("the vendor could not be reached or answered an error").endResponseMessage()
                    .to("direct:admin-preview-vendor-file")
                .get("/{vendor}/preview").id("rest-preview-vendor")
                    .description("The same for a configured vendor")
                    .produces("application/json")
                    .to("direct:admin-preview-vendor");

        from("direct:admin-preview-vendor-file").routeId("admin-preview-vendor-file").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .convertBodyTo(String.class)
                .bean("vendorPreview", "ofFile")
                .to("direct:json-answer");

        from("direct:admin-preview-vendor").routeId("admin-preview-vendor").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("vendorPreview", "ofVendor")
                .to("direct:json-answer");

        rest("/ops").description("Operations")
                .get("/overview").id("rest-ops-overview")
                    .description("Queue depths, orders by status, vendors' last polls, order rates (the dashboard's data)")
                    .produces("application/json")
                    .to("direct:ops-overview")
                .get("/trends").id("rest-ops-trends")
                    .description("This instance's last minutes, one sample per aggregator.ops.trends-period-ms, oldest first, "
                            + "as columns (the dashboard's charts)")
                    .produces("application/json")
                    .responseMessage().code(200).message("{stepSeconds, windowSeconds, t: [epoch s], ordersPerSecond: {accepted, synced, failed}, "
                            + "productsPerSecond, vendors: {<vendor>: {p50Ms, p99Ms, breaker: [0 closed, 1 open, 2 half-open]}}, "
                            + "queues: {<queue>: [depth]}}; null where a series has no value").endResponseMessage()
                    .to("direct:ops-trends");

        from("direct:admin-browse-dlq").routeId("admin-browse-dlq").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("deadLetters", "browse")
                .to("direct:json-answer");

        // REST DSL inlines the direct: route a verb points at, so the two replay verbs share a third one.
        from("direct:admin-replay-dlq").routeId("admin-replay-dlq")
                .to("direct:replay-dead-letters");

        from("direct:replay-dead-letters").routeId("replay-dead-letters").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("deadLetters", "replay")
                .to("direct:json-answer");

        from("direct:admin-replay-one-dlq").routeId("admin-replay-one-dlq")
                .to("direct:replay-dead-letters");

        from("direct:admin-discard-dlq").routeId("admin-discard-dlq").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("deadLetters", "discard")
                .to("direct:json-answer");

        from("direct:ops-overview").routeId("ops-overview").routeConfigurationId("http-problems")
                .bean("opsOverview", "current")
                .to("direct:json-answer");

        from("direct:ops-trends").routeId("ops-trends").routeConfigurationId("http-problems")
                .bean("trends", "columns")
                .to("direct:json-answer");

        // Prometheus scrapes this; Camel's route metrics and the product's own share one registry.
        from("platform-http:/metrics?httpMethodRestrict=GET")
                .routeId("metrics")
                .bean("metrics", "scrape")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("text/plain; version=0.0.4; charset=utf-8"));

        // The dashboard is one static page (no build step); it reads /ops/overview and the admin API.
        from("platform-http:/dashboard?httpMethodRestrict=GET")
                .routeId("dashboard")
                .removeHeaders("*")
                .setHeader(Exchange.CONTENT_TYPE, constant("text/html; charset=utf-8"))
                .setBody(constant(dev.aggregator.config.ClasspathText.load("dashboard/index.html")));

        // What the page loads beside itself (the chart library), from the jar too.
        from("platform-http:/dashboard/{asset}?httpMethodRestrict=GET")
                .routeId("dashboard-assets")
                .routeConfigurationId("http-problems")
                .bean("dashboardAssets", "answer");
    }
}
