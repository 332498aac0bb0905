package dev.aggregator.order;

import java.util.Map;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.testsupport.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, defect 6: with a large order table, listings and the dashboard's figures read index ranges
 * (never the whole table), counts do not count every row, and retention deletes finished orders only.
 * 300,000 orders, analysed; plans are asserted (times are measured in the note, not here).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrdersAtScaleIT {

    private final String database = TestServices.uniqueName("agg_scale");
    private NamedParameterJdbcTemplate jdbc;

    @BeforeAll
    void manyOrders() {
        TestServices.createDatabase(database);
        DriverManagerDataSource ds = new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", "");
        Flyway.configure().dataSource(ds).load().migrate();
        jdbc = new NamedParameterJdbcTemplate(ds);
        var sql = jdbc.getJdbcTemplate();
        sql.update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at) VALUES ('v', '1', 'P', 1, 10, '{}', now())");
        // 300,000 finished orders over the last ~10 days, 2 % FAILED, and 20 PENDING.
        sql.update("INSERT INTO orders (order_id, vendor, product_id, quantity, unit_price, status, request_fingerprint, response, "
                + "created_at, updated_at, synced_at, failed_at) "
                + "SELECT gen_random_uuid(), 'v', '1', 1, 1, s, 'x', '{}', t, t, CASE WHEN s = 'SYNCED' THEN t END, CASE WHEN s = 'FAILED' THEN t END "
                + "FROM (SELECT CASE WHEN g % 50 = 0 THEN 'FAILED' ELSE 'SYNCED' END AS s, now() - g * interval '3 seconds' AS t "
                + "FROM generate_series(1, 300000) g) x");
        sql.update("INSERT INTO orders (order_id, vendor, product_id, quantity, unit_price, request_fingerprint, response) "
                + "SELECT gen_random_uuid(), 'v', '1', 1, 1, 'x', '{}' FROM generate_series(1, 20)");
        sql.execute("VACUUM ANALYZE orders");
    }

    @AfterAll
    void drop() {
        TestServices.dropDatabase(database);
    }

    @ParameterizedTest
    @CsvSource({"sql/order/list-orders.sql,orders_by_created", "sql/order/list-orders-by-status.sql,orders_by_status_created",
            "sql/ops/order-rates.sql,orders_by_synced"})
    void readsWalkAnIndexInsteadOfTheTable(String statement, String index) {
        String plan = String.join("\n", jdbc.queryForList("EXPLAIN " + ClasspathText.load(statement),
                Map.of("status", "FAILED", "limit", 10, "offset", 0), String.class));
        assertThat(plan).contains(index).doesNotContain("Seq Scan");
    }

    @Test
    void countsAreExactForPendingAndFailedAndEstimatedForTheRest() {
        Map<String, Long> counts = new OrderCounts(jdbc).byStatus();
        assertThat(counts.get("PENDING")).isEqualTo(20);
        assertThat(counts.get("FAILED")).isEqualTo(6000);
        assertThat(counts.get("SYNCED")).isBetween(294_000L * 9 / 10, 294_000L * 11 / 10);
        String plan = String.join("\n", jdbc.queryForList("EXPLAIN " + ClasspathText.load("sql/order/count-orders.sql"), Map.of(), String.class));
        assertThat(plan).doesNotContain("Seq Scan");
    }

    @Test
    void retentionDeletesOnlyFinishedOrdersOlderThanItsDays() {
        long before = count("SELECT count(*) FROM orders");
        long old = count("SELECT count(*) FROM orders WHERE created_at < now() - interval '7 days' AND status <> 'PENDING'");
        jdbc.getJdbcTemplate().update("UPDATE orders SET created_at = now() - interval '30 days' WHERE status = 'PENDING'");
        int deleted = new OrderRetention(jdbc, 7).purge();
        // Orders are 3 s apart, so a few more cross the 7-day line while this runs (one every 3 s): the
        // bounds allow a minute of that, and what was older than 7 days and a minute is surely gone.
        assertThat((long) deleted).isPositive().isBetween(old, old + 20);
        assertThat(count("SELECT count(*) FROM orders")).isEqualTo(before - deleted);
        assertThat(count("SELECT count(*) FROM orders WHERE created_at < now() - interval '7 days 1 minute' AND status <> 'PENDING'")).isZero();
        assertThat(count("SELECT count(*) FROM orders WHERE status = 'PENDING'")).as("open orders are kept, however old").isEqualTo(20);
        assertThat(new OrderRetention(jdbc, 0).purge()).isZero();
    }

    private long count(String sql) {
        return jdbc.getJdbcTemplate().queryForObject(sql, Long.class);
    }
}
