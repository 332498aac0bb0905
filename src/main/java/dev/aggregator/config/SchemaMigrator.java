package dev.aggregator.config;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the Flyway migrations. When PostgreSQL is unreachable at start-up it says so once and keeps
 * retrying in the background, so the HTTP server still starts and /health can answer 503 meanwhile.
 */
public class SchemaMigrator {

    private static final Logger LOG = LoggerFactory.getLogger(SchemaMigrator.class);

    private final DataSource dataSource;
    private final String address;
    private volatile boolean ready;
    private volatile String lastProblem;
    private final List<Runnable> whenReady = new ArrayList<>();
    private final Object migration = new Object();

    public SchemaMigrator(DataSource dataSource, String address) {
        this.dataSource = dataSource;
        this.address = address;
    }

    public boolean isReady() {
        return ready;
    }

    /**
     * Runs the action once the schema is migrated: now if it is, else on the migration's thread right
     * after it succeeds.
     */
    public void whenReady(Runnable action) {
        synchronized (this) {
            if (!ready) {
                whenReady.add(action);
                return;
            }
        }
        action.run();
    }

    /** Thrown into routes that need the schema before it exists; they retry, the message stays queued. */
    public void requireReady() {
        if (!ready) {
            throw new SchemaNotReadyException("database schema at " + address + " is not migrated yet");
        }
    }

    /**
     * Migrates on the given scheduler's thread, beside the rest of the start-up: Camel builds and starts
     * its routes meanwhile, and what needs the schema waits for it (whenReady, requireReady, /health 503).
     * On a fresh database the two used to run one after the other. If the first try fails, retries until
     * one succeeds.
     */
    public void start(ScheduledExecutorService scheduler, long retryMillis) {
        scheduler.execute(() -> {
            if (!tryMigrate()) {
                scheduler.scheduleWithFixedDelay(() -> {
                    if (!ready && tryMigrate()) {
                        LOG.info("PostgreSQL at {} is reachable again; schema migrated", address);
                    }
                }, retryMillis, retryMillis, TimeUnit.MILLISECONDS);
            }
        });
    }

    boolean tryMigrate() {
        // Its own lock, so whenReady never waits for a migration (or a connect time-out) to end.
        synchronized (migration) {
            if (ready) {
                return true;
            }
            if (!migrate()) {
                return false;
            }
        }
        List<Runnable> actions;
        synchronized (this) { // ready is set: whenReady queues nothing more
            actions = new ArrayList<>(whenReady);
            whenReady.clear();
        }
        for (Runnable action : actions) {
            action.run();
        }
        return true;
    }

    private boolean migrate() {
        try {
            var result = Flyway.configure().dataSource(dataSource).load().migrate();
            ready = true;
            LOG.info("Schema at {} is at version {} ({} migrations applied now)", address,
                    result.targetSchemaVersion == null ? "current" : result.targetSchemaVersion, result.migrationsExecuted);
            warnIfAutovacuumOff();
            return true;
        } catch (RuntimeException e) {
            String problem = rootMessageOf(e);
            if (!problem.equals(lastProblem)) {
                LOG.error("PostgreSQL at {} is unreachable or refused the migration ({}); retrying", address, problem);
                lastProblem = problem;
            }
            return false;
        }
    }

    private void warnIfAutovacuumOff() {
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement();
             var rows = statement.executeQuery("SHOW autovacuum")) {
            String warning = rows.next() ? autovacuumWarning(rows.getString(1), address) : null;
            if (warning != null) {
                LOG.warn(warning);
            }
        } catch (java.sql.SQLException e) {
            LOG.debug("Could not read the autovacuum setting", e);
        }
    }

    /**
     * Every order rewrites a products row and an order row: without autovacuum the dead rows pile up and
     * the same transaction ran 7 times slower after a few minutes here (bench/results/history.md, run 9).
     */
    static String autovacuumWarning(String setting, String address) {
        return "off".equalsIgnoreCase(setting == null ? "" : setting.trim())
                ? "PostgreSQL at " + address + " has autovacuum off: order and stock tables will bloat and slow down; "
                        + "turn it on (autovacuum = on in postgresql.conf) or VACUUM ANALYZE them regularly"
                : null;
    }

    /** The innermost cause, as "Type: message": the part of a driver error a person can act on. */
    public static String rootMessageOf(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    public static class SchemaNotReadyException extends RuntimeException {
        public SchemaNotReadyException(String message) {
            super(message);
        }
    }
}
