package dev.aggregator.order;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Fault soak finding (bench/chaos.sh, PostgreSQL restart): a connection that PostgreSQL ends inside an
 * order's transaction (POST /order with an Idempotency-Key) made the rollback fail on the dead connection,
 * and Spring's TransactionSystemException ("JDBC rollback failed") was answered 500. It is the database
 * being away: 503 with Retry-After, nothing stored, and the client's retry with the same key is accepted once.
 */
class DatabaseDropDuringOrderIT extends AggregatorTestSupport {

    private static final String ORDER = "{\"id\":\"2\",\"vendor\":\"vendorA\",\"quantity\":1}";

    @Test
    void aConnectionEndedInsideTheOrderTransactionIsA503AndTheRetryIsAcceptedOnce() throws Exception {
        awaitDemoCatalogues();
        String key = "drop-" + System.nanoTime();
        int reservedBefore = reserved();
        HttpResponse<String> first;
        try (Connection lock = DriverManager.getConnection(TestServices.jdbcUrl(database), "postgres", null)) {
            // Hold the product's row, so the order's transaction waits on it, inside the transaction.
            lock.setAutoCommit(false);
            int me;
            try (Statement s = lock.createStatement()) {
                s.execute("SELECT 1 FROM products WHERE vendor = 'vendorA' AND product_id = '2' FOR UPDATE");
                try (ResultSet r = s.executeQuery("SELECT pg_backend_pid()")) {
                    r.next();
                    me = r.getInt(1);
                }
            }
            CompletableFuture<HttpResponse<String>> answer = http.sendAsync(HttpRequest.newBuilder(URI.create(baseUrl() + "/order"))
                    .timeout(Duration.ofSeconds(20)).header("Content-Type", "application/json").header("Idempotency-Key", key)
                    .POST(HttpRequest.BodyPublishers.ofString(ORDER)).build(), HttpResponse.BodyHandlers.ofString());
            String waiting = "SELECT pid FROM pg_stat_activity WHERE datname = '" + database + "' AND wait_event_type = 'Lock' AND pid <> " + me;
            Integer pid = await().atMost(Duration.ofSeconds(10)).until(() -> jdbc().queryForList(waiting, Integer.class).stream().findFirst().orElse(null),
                    p -> p != null);
            // PostgreSQL ends that session, as a restart does.
            TestServices.sql("SELECT pg_terminate_backend(" + pid + ")");
            lock.rollback();
            first = answer.get(20, TimeUnit.SECONDS);
        }
        assertThat(first.statusCode()).as(first.body()).isEqualTo(503);
        assertThat(first.headers().firstValue("Retry-After")).hasValue("5");
        assertThat(first.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE idempotency_key = ?", Integer.class, key)).isZero();
        assertThat(reserved()).isEqualTo(reservedBefore);

        HttpResponse<String> retry = send("POST", "/order", ORDER, "Content-Type", "application/json", "Idempotency-Key", key);
        assertThat(retry.statusCode()).as(retry.body()).isEqualTo(202);
        HttpResponse<String> again = send("POST", "/order", ORDER, "Content-Type", "application/json", "Idempotency-Key", key);
        assertThat(again.statusCode()).isEqualTo(202);
        assertThat(again.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        assertThat(jdbc().queryForObject("SELECT count(*) FROM orders WHERE idempotency_key = ?", Integer.class, key)).isEqualTo(1);
    }

    private int reserved() {
        return jdbc().queryForObject("SELECT reserved FROM products WHERE vendor = 'vendorA' AND product_id = '2'", Integer.class);
    }
}
