package dev.aggregator.support;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Answers read from PostgreSQL, kept while nothing in the database has changed since they were read: each is
 * stamped with the snapshot its statement ran under (pg_current_snapshot(): which transactions were visible),
 * and served again as long as a new snapshot is the same text. Any commit (or rollback) of a transaction that
 * had written changes it, so an answer is never stale, on any instance of a cluster, and a quiet catalogue
 * costs one trivial statement per request instead of a page. Writes elsewhere (even in other databases of the
 * same server) only cost a fresh read.
 */
public final class SnapshotCache {

    /** What a statement read, and the snapshot it read it under (null: not to be kept). */
    public record Read<T>(String snapshot, T value) {
    }

    private record Entry(String snapshot, Object value, long size) {
    }

    private static final String CURRENT = "SELECT pg_current_snapshot()::text";

    private final JdbcTemplate jdbc;
    private final long maxBytes;
    private final Map<Object, Entry> entries = new ConcurrentHashMap<>();
    private final AtomicLong bytes = new AtomicLong();

    public SnapshotCache(JdbcTemplate jdbc, long maxBytes) {
        this.jdbc = jdbc;
        this.maxBytes = maxBytes;
    }

    // Requests that ask at once share one statement (below); statements are numbered as they start.
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition read = lock.newCondition();
    private long started;
    private long completed;
    private String latest;
    private boolean inFlight;

    /**
     * The database's snapshot now, i.e. taken after this call began: one trivial statement, shared by the
     * requests that ask while it is under way. A caller waits for the first statement that starts after it
     * asked (one already running may predate a commit it must see), and runs it itself when none runs.
     */
    public String currentSnapshot() {
        lock.lock();
        try {
            long need = started + 1;
            while (completed < need) {
                if (inFlight) {
                    read.awaitUninterruptibly();
                    continue;
                }
                inFlight = true;
                long mine = ++started;
                String snapshot = null;
                lock.unlock(); // others join the next statement meanwhile
                try {
                    snapshot = jdbc.query(c -> c.prepareStatement(CURRENT), rs -> rs.next() ? rs.getString(1) : null);
                } finally {
                    lock.lock();
                    inFlight = false;
                    if (snapshot != null) {
                        completed = mine;
                        latest = snapshot;
                    }
                    read.signalAll(); // after a failure, a waiter runs its own statement
                }
            }
            return latest;
        } finally {
            lock.unlock();
        }
    }

    /** The value for key: the kept one if the database is unchanged since it was read, else a fresh read, kept. */
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Supplier<Read<T>> read, ToLongFunction<T> size) {
        Entry kept = entries.get(key);
        if (kept != null && kept.snapshot().equals(currentSnapshot())) {
            return (T) kept.value();
        }
        return keep(key, read.get(), size);
    }

    private <T> T keep(Object key, Read<T> fresh, ToLongFunction<T> size) {
        if (fresh.snapshot() != null && maxBytes > 0) {
            long n = size.applyAsLong(fresh.value()) + 64 + fresh.snapshot().length();
            Entry old = entries.put(key, new Entry(fresh.snapshot(), fresh.value(), n));
            if (bytes.addAndGet(n - (old == null ? 0 : old.size())) > maxBytes) {
                // Over budget (a walk through a large catalogue): start again rather than track recency.
                entries.clear();
                bytes.set(0);
            }
        }
        return fresh.value();
    }

    /** Entries kept now (tests, metrics). */
    public int size() {
        return entries.size();
    }
}
