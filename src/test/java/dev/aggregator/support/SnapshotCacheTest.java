package dev.aggregator.support;

import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.PreparedStatementCreator;
import org.springframework.jdbc.core.ResultSetExtractor;

import static org.assertj.core.api.Assertions.assertThat;

class SnapshotCacheTest {

    /** A database whose snapshot the test sets; counts the statements that read it. */
    static class FakeDatabase extends JdbcTemplate {
        final AtomicReference<String> snapshot = new AtomicReference<>("100:100:");
        final AtomicInteger statements = new AtomicInteger();
        volatile CountDownLatch hold = new CountDownLatch(0);

        @Override
        @SuppressWarnings("unchecked")
        public <T> T query(PreparedStatementCreator psc, ResultSetExtractor<T> rse) {
            // the snapshot first, then the count: a test that sees the count has seen a statement whose snapshot is taken
            String now = snapshot.get();
            statements.incrementAndGet();
            try {
                hold.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return (T) now;
        }
    }

    private final FakeDatabase db = new FakeDatabase();
    private final SnapshotCache cache = new SnapshotCache(db, 1_000_000);
    private final AtomicInteger reads = new AtomicInteger();

    private String read(String key) {
        return cache.get(key, () -> new SnapshotCache.Read<>(db.snapshot.get(), key + "#" + reads.incrementAndGet()), String::length);
    }

    @Test
    void keptWhileTheSnapshotIsTheSameReadAgainOnceItChanged() {
        assertThat(read("a")).isEqualTo("a#1");
        assertThat(read("a")).isEqualTo("a#1");
        assertThat(read("b")).isEqualTo("b#2");
        db.snapshot.set("100:101:");
        assertThat(read("a")).isEqualTo("a#3");
        assertThat(read("a")).isEqualTo("a#3");
        assertThat(read("b")).isEqualTo("b#4");
    }

    @Test
    void aReadWithoutSnapshotIsNotKept() {
        assertThat(cache.get("x", () -> new SnapshotCache.Read<>(null, "x1"), String::length)).isEqualTo("x1");
        assertThat(cache.get("x", () -> new SnapshotCache.Read<>(null, "x2"), String::length)).isEqualTo("x2");
        assertThat(cache.size()).isZero();
    }

    @Test
    void overBudgetItStartsAgain() {
        SnapshotCache small = new SnapshotCache(db, 300);
        for (int i = 0; i < 5; i++) {
            String key = "k" + i;
            small.get(key, () -> new SnapshotCache.Read<>("1:1:", "v"), v -> 100);
        }
        assertThat(small.size()).isLessThan(5);
        SnapshotCache off = new SnapshotCache(db, 0);
        off.get("k", () -> new SnapshotCache.Read<>("1:1:", "v"), v -> 1);
        assertThat(off.size()).isZero();
    }

    @Test
    void callersAtOnceShareAStatementThatStartedAfterTheyAsked() throws Exception {
        db.hold = new CountDownLatch(1); // the first statement hangs until released
        ExecutorService pool = Executors.newFixedThreadPool(9);
        try {
            Future<String> first = pool.submit(cache::currentSnapshot);
            while (db.statements.get() == 0) {
                Thread.onSpinWait();
            }
            // a commit while the first statement runs: those who ask now must see it
            db.snapshot.set("100:102:");
            List<Future<String>> later = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                later.add(pool.submit(cache::currentSnapshot));
            }
            db.hold.countDown();
            assertThat(first.get(5, TimeUnit.SECONDS)).isEqualTo("100:100:");
            for (Future<String> f : later) {
                assertThat(f.get(5, TimeUnit.SECONDS)).isEqualTo("100:102:");
            }
            assertThat(db.statements.get()).isBetween(2, 9);
        } finally {
            pool.shutdownNow();
        }
    }
}
