package dev.aggregator.vendor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;

import dev.aggregator.config.Settings;
import dev.aggregator.config.SettingsException;
import dev.aggregator.config.VendorConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendors this service knows: one per vendor-poller route, whether the route came from the
 * environment or from a YAML block in routes/. Reading the routes keeps one source of truth.
 */
public class VendorRegistry {

    public static final String VENDOR_PROPERTY = "vendor";
    public static final String URL_PROPERTY = "vendor-url";
    public static final String RATE_PROPERTY = "vendor-rate-limit";
    public static final String CONCURRENCY_PROPERTY = "vendor-concurrency";
    public static final String TIMEOUT_PROPERTY = "vendor-timeout";
    private static final Logger LOG = LoggerFactory.getLogger(VendorRegistry.class);

    private final CamelContext context;
    private final List<VendorConfig> configured;
    /** The poller routes do not change once Camel has started, so the list is read from them once. */
    private volatile List<VendorConfig> started;

    public VendorRegistry(CamelContext context, List<VendorConfig> configured) {
        this.context = context;
        this.configured = List.copyOf(configured);
    }

    /** Vendors from settings, to instantiate the poller template for. */
    public List<VendorConfig> configured() {
        return configured;
    }

    /** Every vendor with a poller route, sorted by name. */
    public List<VendorConfig> all() {
        List<VendorConfig> cached = started;
        if (cached != null) {
            return cached;
        }
        List<VendorConfig> all = fromRoutes();
        if (context.isStarted()) {
            started = all;
        }
        return all;
    }

    /** The poller routes (from the template, in Java or YAML): those carrying the vendor property. */
    public List<Route> pollers() {
        return context.getRoutes().stream().filter(r -> r.getProperties().get(VENDOR_PROPERTY) != null).toList();
    }

    private List<VendorConfig> fromRoutes() {
        List<VendorConfig> all = new ArrayList<>();
        for (Route route : pollers()) {
            Object url = route.getProperties().get(URL_PROPERTY);
            if (url != null) {
                String name = route.getProperties().get(VENDOR_PROPERTY).toString();
                Map<String, Object> p = route.getProperties();
                all.add(new VendorConfig(name, url.toString(),
                        optional(name, p.get(RATE_PROPERTY), "rateLimit", Settings::parseRate),
                        optional(name, p.get(CONCURRENCY_PROPERTY), "concurrency", Settings::parseConcurrency),
                        optional(name, p.get(TIMEOUT_PROPERTY), "timeout", Settings::parsePeriod)));
            }
        }
        all.sort(Comparator.comparing(VendorConfig::name));
        return List.copyOf(all);
    }

    /** A YAML vendor's parameter, or null for the global default (also when it cannot be read: said once in the log). */
    private static <T> T optional(String vendor, Object raw, String parameter, BiFunction<String, String, T> parse) {
        if (raw == null || raw.toString().isBlank()) {
            return null;
        }
        try {
            return parse.apply(parameter, raw.toString());
        } catch (SettingsException e) {
            LOG.error("Vendor {}: parameter {} ignored, the global setting applies: {}", vendor, parameter, e.getMessage());
            return null;
        }
    }

    public Optional<VendorConfig> find(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
