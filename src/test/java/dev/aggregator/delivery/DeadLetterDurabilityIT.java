package dev.aggregator.delivery;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.demo.DemoVendor;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.amqp.core.Message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, defect 4: the order is marked FAILED and then its dead letter is published. When that publish
 * fails (the broker went away in between), the letter must still reach sync_to_external_dlq; and an
 * operator can replay a FAILED order by its id, letter or not.
 */
class DeadLetterDurabilityIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("ADMIN_TOKEN", "t");
        p.setProperty("aggregator.delivery.dead-letter-grace-seconds", "1");
    }

    @Test
    void aLetterWhosePublishFailedIsPublishedLaterAndTheOrderCanBeReplayedById() throws Exception {
        awaitDemoCatalogues();
        AtomicBoolean brokerError = new AtomicBoolean(true);
        AdviceWith.adviceWith(context, "dead-letter", a -> a.weaveById("publish-dead-letter").before().process(e -> {
            if (brokerError.getAndSet(false)) {
                throw new org.springframework.amqp.AmqpConnectException(new java.net.ConnectException("broker went away"));
            }
        }));
        demoVendor("B").setFaults(new DemoVendor.Faults(1, 400, 0, 0));
        String id = json(post("{\"id\":\"VB-1040\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
        awaitStatus(id, "FAILED");
        assertThat(brokerError.get()).as("the first publish of the letter failed").isFalse();

        List<String> letters = new ArrayList<>();
        await().atMost(Duration.ofSeconds(15)).until(() -> {
            Message m;
            while ((m = rabbit().receive("sync_to_external_dlq", 200)) != null) {
                letters.add((String) m.getMessageProperties().getHeader("x-order-id"));
            }
            return letters.contains(id);
        });
        // Two more relay rounds run; neither may publish the letter again.
        org.apache.camel.builder.NotifyBuilder relayRounds = new org.apache.camel.builder.NotifyBuilder(context)
                .fromRoute("dead-letter-relay").whenDone(2).create();
        assertThat(relayRounds.matches(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        Message more;
        while ((more = rabbit().receive("sync_to_external_dlq", 500)) != null) {
            letters.add((String) more.getMessageProperties().getHeader("x-order-id"));
        }
        assertThat(letters.stream().filter(id::equals).count()).isEqualTo(1);

        // The letter is consumed (gone): the order is replayed by its id.
        demoVendor("B").setFaults(DemoVendor.Faults.NONE);
        HttpResponse<String> replay = admin("/admin/orders/" + id + "/replay");
        assertThat(replay.statusCode()).as(replay.body()).isEqualTo(200);
        awaitStatus(id, "SYNCED");
        HttpResponse<String> again = admin("/admin/orders/" + id + "/replay");
        assertThat(again.statusCode()).isEqualTo(409);
        assertThat(again.headers().firstValue("Content-Type").orElse("")).contains("problem+json");
        assertThat(admin("/admin/orders/not-an-id/replay").statusCode()).isEqualTo(400);
        assertThat(admin("/admin/orders/" + java.util.UUID.randomUUID() + "/replay").statusCode()).isEqualTo(404);
    }

    private HttpResponse<String> admin(String path) throws Exception {
        return send("POST", path, null, "Authorization", "Bearer t");
    }
}
