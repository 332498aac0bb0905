package dev.aggregator.stock;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.aggregator.config.SchemaMigrator;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adds each vendor poller's Quartz trigger, and starts the Quartz scheduler, once Camel has started and
 * the schema is migrated: now, or when PostgreSQL is back. The triggers' clustered job store is in our
 * database, and a Quartz endpoint reads it as it starts; created with the pollers, one unreachable
 * database at start-up failed the whole start. This way the service starts, /health answers 503, and
 * polling begins once the database is there.
 */
public class PollTriggers implements ExtendedStartupListener {

    public static final String TEMPLATE = "vendor-trigger";
    public static final String PERIOD_PROPERTY = "pollPeriodMillis";
    private static final Logger LOG = LoggerFactory.getLogger(PollTriggers.class);

    private final SchemaMigrator schema;
    private final VendorRegistry vendors;
    private final ScheduledExecutorService retries;
    private final long retryMillis;
    private volatile CamelContext context;

    public PollTriggers(SchemaMigrator schema, VendorRegistry vendors, ScheduledExecutorService retries, long retryMillis) {
        this.schema = schema;
        this.vendors = vendors;
        this.retries = retries;
        this.retryMillis = retryMillis;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing yet: the full start below comes once every route, the YAML ones included, is running
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        this.context = context;
        schema.whenReady(this::addTriggers);
    }

    void addTriggers() {
        if (!context.getStatus().isStarted()) {
            return; // shutting down
        }
        try {
            List<Route> pollers = vendors.pollers();
            for (Route poller : pollers) {
                Object vendor = poller.getProperties().get(VendorRegistry.VENDOR_PROPERTY);
                if (context.getRoute(TEMPLATE + "-" + vendor) == null) {
                    context.addRouteFromTemplate(TEMPLATE + "-" + vendor, TEMPLATE,
                            Map.of("vendor", vendor, "period", poller.getProperties().get(PERIOD_PROPERTY)));
                }
            }
            // The jobs are in the store; now the scheduler that fires them (it does not start by itself).
            Scheduler scheduler = context.hasComponent("quartz") instanceof QuartzComponent q ? q.getScheduler() : null;
            if (scheduler != null && !scheduler.isStarted()) {
                scheduler.start();
                LOG.info("Vendor polling started: {} vendors", pollers.size());
            }
        } catch (Exception e) {
            // The database went away again since the migration: try again shortly.
            LOG.warn("Vendor polling could not start yet ({}); retrying", SchemaMigrator.rootMessageOf(e));
            retries.schedule(this::addTriggers, retryMillis, TimeUnit.MILLISECONDS);
        }
    }
}
