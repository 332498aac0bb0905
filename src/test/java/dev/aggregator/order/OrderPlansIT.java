package dev.aggregator.order;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.testsupport.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import org.springframework.transaction.support.TransactionTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * The status-guarded updates of one order must find it by primary key whatever the statistics say. After
 * an ANALYZE taken while no order was PENDING, PostgreSQL estimated "status = 'PENDING'" at one row and
 * scanned the status index instead, reading every PENDING order for each one it confirmed: under a
 * backlog, delivery fell from ~1,000 to ~600 orders/s with PostgreSQL's CPU up by half.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OrderPlansIT {

    private final String database = TestServices.uniqueName("agg_plans");
    private NamedParameterJdbcTemplate jdbc;
    private TransactionTemplate tx;

    @BeforeAll
    void schema() {
        TestServices.createDatabase(database);
        DriverManagerDataSource ds = new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", "");
        Flyway.configure().dataSource(ds).load().migrate();
        jdbc = new NamedParameterJdbcTemplate(ds);
        tx = new TransactionTemplate(new DataSourceTransactionManager(ds));
    }

    @AfterAll
    void drop() {
        TestServices.dropDatabase(database);
    }

    @ParameterizedTest
    @ValueSource(strings = {"sql/order/confirm-order.sql", "sql/order/mark-failed.sql", "sql/order/reopen-failed.sql",
            "sql/order/note-waiting.sql", "sql/order/note-error.sql", "sql/order/cancel-order.sql", "sql/order/lock-for-cancel.sql",
            "sql/delivery/call-starting.sql", "sql/delivery/call-refused.sql"})
    void aGuardedUpdateFindsItsOrderByPrimaryKey(String statement) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("orderId", UUID.randomUUID())
                .addValue("attempts", 1)
                .addValue("reason", "x")
                .addValue("vendorRef", null)
                .addValue("webhookUrl", null);
        String plan = tx.execute(status -> {
            // 20,000 finished orders and none PENDING or FAILED, analysed: the statistics of a quiet moment.
            jdbc.getJdbcTemplate().update("INSERT INTO products (vendor, product_id, name, price, vendor_stock, raw, fetched_at) "
                    + "VALUES ('v', '1', 'p', 1, 1, '{}', now())");
            jdbc.getJdbcTemplate().update("INSERT INTO orders (order_id, vendor, product_id, quantity, unit_price, status, "
                    + "request_fingerprint, response) SELECT gen_random_uuid(), 'v', '1', 1, 1, 'SYNCED', 'f', '{}' "
                    + "FROM generate_series(1, 20000)");
            jdbc.getJdbcTemplate().execute("ANALYZE orders");
            List<Map<String, Object>> rows = jdbc.queryForList("EXPLAIN " + ClasspathText.load(statement), p);
            status.setRollbackOnly();
            return rows.stream().map(r -> String.valueOf(r.values().iterator().next())).reduce("", (a, b) -> a + b + "\n");
        });
        assertThat(plan).contains("orders_pkey").doesNotContain("orders_by_status");
    }
}
