package dev.aggregator.config;

import java.sql.SQLTransientConnectionException;

import dev.aggregator.config.SchemaMigrator.SchemaNotReadyException;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.transaction.TransactionSystemException;

/**
 * The failures that mean PostgreSQL cannot be used right now (unreachable, or its schema not migrated
 * yet) rather than a bug: the API answers them 503 and the database timers skip their turn.
 * A TransactionSystemException is a commit or rollback that could not be done: PostgreSQL ended the
 * session inside the transaction (a restart), and the rollback then failed on the closed connection.
 * It was a 500 (DatabaseDropDuringOrderIT).
 */
public final class DatabaseUnavailable {

    @SuppressWarnings("unchecked")
    public static final Class<? extends Throwable>[] TYPES = new Class[] {DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class, SchemaNotReadyException.class, SQLTransientConnectionException.class,
            TransactionSystemException.class};

    private DatabaseUnavailable() {
    }

    /** Whether the failure or any of its causes is one of TYPES. */
    public static boolean causes(Throwable failure) {
        return java.util.Arrays.stream(TYPES).anyMatch(type -> org.apache.camel.util.ObjectHelper.getException(type, failure) != null);
    }
}
