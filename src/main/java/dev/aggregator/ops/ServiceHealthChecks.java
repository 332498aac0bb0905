package dev.aggregator.ops;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Readiness as Camel health checks: the service can take orders when PostgreSQL (with its schema) and
 * RabbitMQ answer. Liveness is Camel's own context check: a process whose database is down is alive and
 * must not be restarted for it. GET /health/ready and /health/live render these (HealthAnswers).
 */
public final class ServiceHealthChecks {

    private ServiceHealthChecks() {
    }

    /** A readiness check over one of HealthService's component checks. */
    public static final class Dependency extends AbstractHealthCheck {

        private final Supplier<HealthService.Check> check;

        public Dependency(String id, Supplier<HealthService.Check> check) {
            super("aggregator", id);
            this.check = check;
        }

        @Override
        public boolean isLiveness() {
            return false; // a dependency down makes us unready, not dead
        }

        @Override
        protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
            HealthService.Check c = check.get();
            builder.detail("address", c.address());
            if (c.up()) {
                builder.up();
            } else {
                builder.detail("error", c.error());
                builder.down();
            }
        }
    }

    /** The checks' results as the answer renders them: id → UP/DOWN with details. */
    static Map<String, Object> render(Iterable<org.apache.camel.health.HealthCheck.Result> results) {
        Map<String, Object> checks = new LinkedHashMap<>();
        for (org.apache.camel.health.HealthCheck.Result r : results) {
            Map<String, Object> one = new LinkedHashMap<>();
            one.put("status", r.getState().name());
            r.getDetails().forEach((k, v) -> {
                if ("address".equals(k) || "error".equals(k)) {
                    one.put(k, v);
                }
            });
            checks.put(r.getCheck().getId(), one);
        }
        return checks;
    }
}
