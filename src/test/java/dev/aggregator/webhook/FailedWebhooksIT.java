package dev.aggregator.webhook;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import testvendors.WebhookReceiver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A receiver down for longer than the retry window (2 s here, a day by default): its events are kept as failed,
 * counted on the dashboard's overview and listed by the admin API, and sent again when an operator re-sends
 * one or all of them.
 */
class FailedWebhooksIT extends AggregatorTestSupport {

    private static final String SECRET = "whsec_failed_it";
    private static final String[] AUTH = {"Authorization", "Bearer admin-it"};

    private WebhookReceiver receiver;

    @Override
    protected void settings(Properties p) {
        p.setProperty("VENDOR_URL_1", outsideVendor("shop", 10, 10).url());
        p.setProperty("VENDOR_RATE_LIMIT", "1000");
        try {
            receiver = new WebhookReceiver(SECRET);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        p.setProperty("WEBHOOK_URL", receiver.url("/hooks"));
        p.setProperty("WEBHOOK_SECRET", SECRET);
        p.setProperty("ADMIN_TOKEN", "admin-it");
        p.setProperty("aggregator.webhooks.relay-period-ms", "200");
        p.setProperty("aggregator.webhooks.timeout-ms", "1000");
        p.setProperty("aggregator.webhooks.backoff-first-ms", "200");
        p.setProperty("aggregator.webhooks.backoff-max-ms", "1000");
        p.setProperty("aggregator.webhooks.max-age-seconds", "2");
    }

    @AfterAll
    void closeReceiver() {
        receiver.close();
    }

    @Test
    void eventsPastTheirWindowAreKeptListedAndSentAgainOnRequest() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("shop") == 10);
        receiver.down(true);
        String first = order("shop", 1);
        String second = order("shop", 2);
        awaitStatus(first, "SYNCED");
        awaitStatus(second, "SYNCED");

        JsonNode list = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                .until(() -> json(send("GET", "/admin/webhooks/failed", null, AUTH)), l -> l.get("total").asInt() == 2);
        assertThat(list.get("failed")).hasSize(2);
        for (JsonNode w : list.get("failed")) {
            assertThat(w.get("type").asText()).isEqualTo("order.synced");
            assertThat(w.get("url").asText()).isEqualTo(receiver.url("/hooks"));
            assertThat(w.get("attempts").asInt()).isGreaterThanOrEqualTo(2);
            assertThat(w.get("lastStatus").asInt()).isEqualTo(500);
            assertThat(w.get("failedAt").asText()).endsWith("Z");
        }
        assertThat(List.of(list.get("failed").get(0).get("orderId").asText(), list.get("failed").get(1).get("orderId").asText()))
                .containsExactlyInAnyOrder(first, second);
        int requestsWhenFailed = receiver.requests();
        // the overview is a snapshot refreshed every few seconds: it catches up with the list (1 there once, in CI)
        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/ops/overview")).get("webhooks").get("failed").asInt() == 2);
        assertThat(send("GET", "/admin/webhooks/failed", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/admin/webhooks/resend", null, "Authorization", "Bearer wrong").statusCode()).isEqualTo(403);
        // kept as failed means no more attempts on their own
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2)).until(() -> receiver.requests() == requestsWhenFailed);

        receiver.down(false);
        String one = list.get("failed").get(0).get("eventId").asText();
        HttpResponse<String> r = send("POST", "/admin/webhooks/" + one + "/resend", null, AUTH);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(json(r).get("resent").get(0).asText()).isEqualTo(one);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().containsKey(one));
        assertThat(json(send("GET", "/admin/webhooks/failed", null, AUTH)).get("total").asInt()).isEqualTo(1);

        r = send("POST", "/admin/webhooks/resend", null, AUTH);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String other = list.get("failed").get(1).get("eventId").asText();
        assertThat(json(r).get("resent").get(0).asText()).isEqualTo(other);
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.received().containsKey(other));
        assertThat(receiver.orderIds("order.synced")).containsExactlyInAnyOrder(first, second);
        assertThat(receiver.badSignatures()).isEmpty();
        await().atMost(Duration.ofSeconds(10)).until(() -> json(get("/ops/overview")).get("webhooks").get("failed").asInt() == 0);

        // delivered events are not kept; an id that is no UUID is no event
        r = send("POST", "/admin/webhooks/" + one + "/resend", null, AUTH);
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(send("POST", "/admin/webhooks/nope/resend", null, AUTH).statusCode()).isEqualTo(404);
        assertThat(send("GET", "/admin/webhooks/failed?limit=0", null, AUTH).statusCode()).isEqualTo(400);
    }

    @Test
    void theAdminEndpointsAreInTheOpenApiDocument() throws Exception {
        JsonNode paths = json(get("/openapi.json")).get("paths");
        assertThat(paths.has("/admin/webhooks/failed")).isTrue();
        assertThat(paths.has("/admin/webhooks/resend")).isTrue();
        JsonNode one = paths.get("/admin/webhooks/{eventId}/resend").get("post");
        assertThat(one.get("parameters").get(0).get("name").asText()).isEqualTo("eventId");
        assertThat(one.get("responses").has("404")).isTrue();
        assertThat(paths.get("/admin/webhooks/failed").get("get").get("parameters").get(0).get("name").asText()).isEqualTo("limit");
    }
}
