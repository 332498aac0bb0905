package dev.aggregator.delivery;

import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;
import org.springframework.dao.DataAccessResourceFailureException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 14, defect 1: PostgreSQL drops the connection while a delivered order is confirmed (the vendor
 * already answered 2xx). Its exception has an EOFException as cause, which matched the transient-vendor
 * rule: retried as vendor attempts, then dead-lettered and FAILED although the vendor has the order. Our
 * database trouble must be retried and requeued until the confirm goes through.
 */
class DeliveryDatabaseErrorIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("VENDOR_RATE_LIMIT", "100");
        p.setProperty("aggregator.delivery.backoff-ms", "100");
    }

    @Test
    void aDroppedDatabaseConnectionDuringTheConfirmNeverFailsTheOrder() throws Exception {
        awaitDemoCatalogues();
        await().atMost(Duration.ofSeconds(10)).until(() -> context.getRoute("delivery-lane-vendorA") != null);
        AtomicInteger drops = new AtomicInteger(6); // more than the vendor rule's retries and the database rule's
        AdviceWith.adviceWith(context, "delivery-lane-vendorA", a -> a.weaveById("confirm-order-vendorA").before().process(e -> {
            if (drops.getAndDecrement() > 0) {
                throw new DataAccessResourceFailureException("PreparedStatementCallback; An I/O error occurred while sending to the backend",
                        new java.sql.SQLException("An I/O error occurred while sending to the backend.", "08006", new java.io.EOFException()));
            }
        }));
        String id = json(post("{\"id\":\"7\",\"vendor\":\"vendorA\",\"quantity\":1}")).get("orderId").asText();
        JsonNode order = awaitStatus(id, "SYNCED", Duration.ofSeconds(40));
        assertThat(drops.get()).as("every injected drop was met").isNegative();
        assertThat(order.get("failedAt").isNull()).isTrue();
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE status = 'FAILED'", Integer.class)).isZero();
    }
}
