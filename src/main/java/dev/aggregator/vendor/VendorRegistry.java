package dev.aggregator.vendor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

import dev.aggregator.config.VendorConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;

/**
 * The vendors this service knows: one per vendor-poller route, whether the route came from the
 * environment or from a YAML block in routes/. Reading the routes keeps one source of truth.
 */
public class VendorRegistry {

    public static final String VENDOR_PROPERTY = "vendor";
    public static final String URL_PROPERTY = "vendor-url";

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
                all.add(new VendorConfig(route.getProperties().get(VENDOR_PROPERTY).toString(), url.toString()));
            }
        }
        all.sort(Comparator.comparing(VendorConfig::name));
        return List.copyOf(all);
    }

    public Optional<VendorConfig> find(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
