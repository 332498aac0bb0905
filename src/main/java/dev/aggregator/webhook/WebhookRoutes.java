package dev.aggregator.webhook;

import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.rest.RestParamType;

/** Status webhooks: the relay that sends the outbox's events, and the admin API for those kept as failed. */
public class WebhookRoutes extends RouteBuilder {

    @Override
    public void configure() {
        // Every instance runs it; the outbox's lease (claim-due.sql) keeps them from sending the same event together.
        from("timer:webhook-relay?period={{aggregator.webhooks.relay-period-ms}}&delay=1000")
                .routeId("webhook-relay")
                .routeConfigurationId("database-timers")
                .bean("schema", "requireReady")
                .bean("webhookRelay", "relay");

        rest("/admin/webhooks").description("Status webhooks (Authorization: Bearer $ADMIN_TOKEN)")
                .get("/failed").id("rest-failed-webhooks")
                    .description("Webhook events whose retry window ran out without a 2xx from their receiver, oldest first")
                    .produces("application/json")
                    .param().name("limit").type(RestParamType.query).required(false).dataType("integer")
                        .description("at most this many (1-1000, default 100)").endParam()
                    .responseMessage().code(200).message("{failed: [{eventId, type, orderId, url, attempts, lastStatus, lastError, createdAt, failedAt}], total}").endResponseMessage()
                    .responseMessage().code(400).message("limit out of range (problem+json)").endResponseMessage()
                    .responseMessage().code(401).message("no bearer token").endResponseMessage()
                    .responseMessage().code(403).message("wrong token, or ADMIN_TOKEN unset").endResponseMessage()
                    .to("direct:admin-failed-webhooks")
                .post("/resend").id("rest-resend-failed-webhooks")
                    .description("Send every failed webhook event again, each with a new retry window")
                    .produces("application/json")
                    .responseMessage().code(200).message("{resent: [eventIds]}").endResponseMessage()
                    .responseMessage().code(401).message("no bearer token").endResponseMessage()
                    .responseMessage().code(403).message("wrong token, or ADMIN_TOKEN unset").endResponseMessage()
                    .to("direct:admin-resend-failed-webhooks")
                .post("/{eventId}/resend").id("rest-resend-webhook")
                    .description("Send one webhook event again now (failed, or still being retried), with a new retry window")
                    .produces("application/json")
                    .param().name("eventId").type(RestParamType.path).description("the event's id (its body's id, the Webhook-Id header)").endParam()
                    .responseMessage().code(200).message("{resent: [eventId]}").endResponseMessage()
                    .responseMessage().code(401).message("no bearer token").endResponseMessage()
                    .responseMessage().code(403).message("wrong token, or ADMIN_TOKEN unset").endResponseMessage()
                    .responseMessage().code(404).message("no such event waiting or failed (delivered events are not kept)").endResponseMessage()
                    .to("direct:admin-resend-webhook");

        from("direct:admin-failed-webhooks").routeId("admin-failed-webhooks").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("failedWebhooks", "list")
                .to("direct:json-answer");

        from("direct:admin-resend-failed-webhooks").routeId("admin-resend-failed-webhooks").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("failedWebhooks", "resendAll")
                .to("direct:json-answer");

        from("direct:admin-resend-webhook").routeId("admin-resend-webhook").routeConfigurationId("http-problems")
                .bean("adminGuard", "check")
                .bean("failedWebhooks", "resendOne")
                .to("direct:json-answer");
    }
}
