package dev.aggregator.order;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.springframework.dao.CannotAcquireLockException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.DeadlockLoserDataAccessException;

class OrderIntakeRetryTest {

    @Test
    void aDeadlockVictimRunsAgain() {
        AtomicInteger runs = new AtomicInteger();
        String result = OrderIntake.retryingLockConflicts(() -> {
            if (runs.incrementAndGet() == 1) {
                throw new DeadlockLoserDataAccessException("deadlock detected", null);
            }
            return "accepted";
        });
        assertThat(result).isEqualTo("accepted");
        assertThat(runs).hasValue(2);
    }

    @Test
    void givesUpAfterThreeLockFailures() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> OrderIntake.retryingLockConflicts(() -> {
            runs.incrementAndGet();
            throw new CannotAcquireLockException("lock timeout");
        })).isInstanceOf(CannotAcquireLockException.class);
        assertThat(runs).hasValue(OrderIntake.LOCK_ATTEMPTS);
    }

    @Test
    void otherFailuresAreNotRetried() {
        AtomicInteger runs = new AtomicInteger();
        assertThatThrownBy(() -> OrderIntake.retryingLockConflicts(() -> {
            runs.incrementAndGet();
            throw new DataIntegrityViolationException("check constraint");
        })).isInstanceOf(DataIntegrityViolationException.class);
        assertThat(runs).hasValue(1);
    }
}
