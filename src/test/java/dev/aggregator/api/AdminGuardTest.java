package dev.aggregator.api;

import dev.aggregator.support.ProblemException;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AdminGuardTest {

    private static void status(Runnable r, int status) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(ProblemException.class,
                p -> org.assertj.core.api.Assertions.assertThat(p.status()).isEqualTo(status));
    }

    @Test
    void closedWithoutAConfiguredToken() {
        AdminGuard guard = new AdminGuard(null);
        status(() -> guard.check("Bearer anything"), 403);
        status(() -> guard.check(null), 403);
        status(() -> new AdminGuard("  ").check("Bearer  "), 403);
    }

    @Test
    void needsTheBearerToken() {
        AdminGuard guard = new AdminGuard("s3cret");
        status(() -> guard.check(null), 401);
        status(() -> guard.check("Basic czNjcmV0"), 401);
        status(() -> guard.check("Bearer s3cre"), 403);
        status(() -> guard.check("Bearer s3cret-and-more"), 403);
        assertThatCode(() -> guard.check("Bearer s3cret")).doesNotThrowAnyException();
        assertThatCode(() -> guard.check("bearer s3cret")).doesNotThrowAnyException();
    }
}
