package dev.aggregator.stock;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.testsupport.TestServices;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14, defect 9: two stock messages that overlap, with their products in opposite orders, upserted at
 * the same moment. Locking rows in the vendor's order made them deadlock (PostgreSQL aborts one, the
 * message is retried); in key order they only wait for each other.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class UpsertLockOrderIT {

    private final String database = TestServices.uniqueName("agg_upsert");
    private DriverManagerDataSource ds;

    @BeforeAll
    void schema() {
        TestServices.createDatabase(database);
        ds = new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", "");
        Flyway.configure().dataSource(ds).load().migrate();
    }

    @AfterAll
    void drop() {
        TestServices.dropDatabase(database);
    }

    @Test
    void overlappingBatchesInOppositeOrdersDoNotDeadlock() throws Exception {
        String sql = ClasspathText.load("sql/upsert-products.sql").replace(":#${body}", "?");
        int products = 400;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        int deadlocks = 0;
        try {
            for (int round = 1; round <= 15; round++) {
                String ascending = batch(products, round, false);
                String descending = batch(products, round, true);
                CyclicBarrier start = new CyclicBarrier(2);
                List<Future<String>> results = new ArrayList<>();
                for (String batch : List.of(ascending, descending)) {
                    results.add(pool.submit(() -> {
                        try (Connection c = ds.getConnection(); PreparedStatement st = c.prepareStatement(sql)) {
                            st.setString(1, batch);
                            start.await();
                            st.executeUpdate();
                            return null;
                        } catch (SQLException e) {
                            return e.getSQLState();
                        }
                    }));
                }
                for (Future<String> r : results) {
                    if ("40P01".equals(r.get())) {
                        deadlocks++;
                    }
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(deadlocks).as("deadlocks in 15 rounds").isZero();
    }

    /** One message's rows as ProductNormalizer.recordset writes them, in the vendor's order or reversed. */
    private static String batch(int products, int round, boolean reversed) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < products; k++) {
            int i = reversed ? products - k : k + 1;
            b.append(k == 0 ? "" : ",").append("{\"vendor\":\"v\",\"product_id\":\"p").append(String.format("%04d", i))
                    .append("\",\"name\":\"P\",\"price\":1,\"stock\":").append(round)
                    .append(",\"raw\":{},\"source\":\"t\",\"fetched_at\":\"2026-01-01T00:00:").append(String.format("%02d", round)).append("Z\"}");
        }
        return b.append(']').toString();
    }
}
