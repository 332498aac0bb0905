package dev.aggregator.stock;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.aggregator.config.SchemaMigrator;
import dev.aggregator.config.VendorConfig;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.component.quartz.QuartzComponent;
import org.quartz.Scheduler;
import org.quartz.TriggerKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one Quartz trigger per vendor poller, at the vendor's period, and starts the Quartz scheduler once
 * Camel has started and the schema is migrated: now, or when PostgreSQL is back. The triggers' clustered
 * job store is in our database, and a Quartz endpoint reads it as it starts; created with the pollers, one
 * unreachable database at start-up failed the whole start. This way the service starts, /health answers
 * 503, and polling begins once the database is there. When the vendors change while the service runs
 * (a vendor file added, edited or deleted), the triggers follow.
 */
public class PollTriggers implements ExtendedStartupListener {

    public static final String TEMPLATE = "vendor-trigger";
    /** The Quartz group of the vendor triggers (see the trigger template's URI). */
    static final String GROUP = "vendor-poll";
    private final java.util.concurrent.atomic.AtomicBoolean started = new java.util.concurrent.atomic.AtomicBoolean();
    private static final Logger LOG = LoggerFactory.getLogger(PollTriggers.class);

    private final SchemaMigrator schema;
    private final VendorRegistry vendors;
    private final ScheduledExecutorService retries;
    private final long retryMillis;
    private final long defaultPeriodMillis;
    /** The period each trigger was added with, by vendor. */
    private final Map<String, Long> triggers = new ConcurrentHashMap<>();
    private volatile CamelContext context;
    private volatile boolean ready;

    public PollTriggers(SchemaMigrator schema, VendorRegistry vendors, ScheduledExecutorService retries, long retryMillis,
                        long defaultPeriodMillis) {
        this.schema = schema;
        this.vendors = vendors;
        this.retries = retries;
        this.retryMillis = retryMillis;
        this.defaultPeriodMillis = defaultPeriodMillis;
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        // nothing yet: the full start below comes once every route, the YAML ones included, is running
    }

    @Override
    public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
        if (!started.compareAndSet(false, true)) {
            return; // called again for routes added later: vendors that come later come through sync()
        }
        this.context = context;
        vendors.onChange(all -> {
            if (ready) {
                sync(all);
            }
        });
        schema.whenReady(this::addTriggers);
    }

    void addTriggers() {
        if (!context.getStatus().isStarted()) {
            return; // shutting down
        }
        try {
            List<VendorConfig> all = vendors.all();
            sync(all);
            // The jobs are in the store; now the scheduler that fires them (it does not start by itself).
            Scheduler scheduler = scheduler();
            if (scheduler != null && !scheduler.isStarted()) {
                scheduler.start();
                LOG.info("Vendor polling started: {} vendors", all.size());
            }
            ready = true;
        } catch (Exception e) {
            // The database went away again since the migration: try again shortly.
            LOG.warn("Vendor polling could not start yet ({}); retrying", SchemaMigrator.rootMessageOf(e));
            retries.schedule(this::addTriggers, retryMillis, TimeUnit.MILLISECONDS);
        }
    }

    /** A trigger for each vendor at its period; none for a vendor no longer configured. */
    synchronized void sync(List<VendorConfig> all) {
        try {
            Set<String> now = new HashSet<>();
            for (VendorConfig vendor : all) {
                now.add(vendor.name());
                long period = vendor.pollPeriodMillis() != null ? vendor.pollPeriodMillis() : defaultPeriodMillis;
                Long current = triggers.get(vendor.name());
                if (current != null && current == period && context.getRoute(routeId(vendor.name())) != null) {
                    continue;
                }
                if (current != null) {
                    remove(vendor.name()); // the period changed: a trigger at the new one
                    LOG.info("Vendor {}: polled every {} ms from now on", vendor.name(), period);
                }
                context.addRouteFromTemplate(routeId(vendor.name()), TEMPLATE, Map.of("vendor", vendor.name(), "period", period));
                triggers.put(vendor.name(), period);
            }
            for (String gone : new HashSet<>(triggers.keySet())) {
                if (!now.contains(gone)) {
                    remove(gone);
                    LOG.info("Vendor {} is no longer configured: its polling stopped (its products stay as last fetched)", gone);
                }
            }
        } catch (Exception e) {
            throw new IllegalStateException("Poll triggers could not follow the vendors: " + SchemaMigrator.rootMessageOf(e), e);
        }
    }

    /**
     * Stops the vendor's trigger route and deletes its trigger from the shared store: on a clustered store
     * Quartz keeps a trigger when its route stops (other instances may still run it), so a vendor removed
     * for good is unscheduled here.
     */
    private void remove(String vendor) throws Exception {
        String id = routeId(vendor);
        if (context.getRoute(id) != null) {
            context.getRouteController().stopRoute(id);
            context.removeRoute(id);
        }
        Scheduler scheduler = scheduler();
        if (scheduler != null) {
            scheduler.unscheduleJob(TriggerKey.triggerKey(vendor, GROUP));
        }
        triggers.remove(vendor);
    }

    private Scheduler scheduler() {
        return context.hasComponent("quartz") instanceof QuartzComponent q ? q.getScheduler() : null;
    }

    private static String routeId(String vendor) {
        return TEMPLATE + "-" + vendor;
    }
}
