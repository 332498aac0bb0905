package dev.aggregator.ops;

import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Says once, in one line naming the address, when PostgreSQL or RabbitMQ becomes unreachable and when
 * it is back, instead of the clients' per-attempt warnings.
 */
public class ConnectivityMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(ConnectivityMonitor.class);

    private final HealthService health;
    private final AtomicReference<Boolean> dbUp = new AtomicReference<>();
    private final AtomicReference<Boolean> brokerUp = new AtomicReference<>();

    public ConnectivityMonitor(HealthService health) {
        this.health = health;
    }

    public void check() {
        report("PostgreSQL", health.database(), dbUp);
        report("RabbitMQ", health.broker(), brokerUp);
    }

    private static void report(String what, HealthService.Check check, AtomicReference<Boolean> last) {
        Boolean before = last.getAndSet(check.up());
        if (before != null && before == check.up()) {
            return;
        }
        if (check.up()) {
            if (before != null) {
                LOG.info("{} at {} is reachable again", what, check.address());
            }
        } else {
            LOG.error("{} at {} is unreachable ({}); retrying", what, check.address(), check.error());
        }
    }
}
