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

    private List<VendorConfig> fromRoutes() {
        List<VendorConfig> all = new ArrayList<>();
        for (Route route : context.getRoutes()) {
            Object name = route.getProperties().get(VENDOR_PROPERTY);
            Object url = route.getProperties().get(URL_PROPERTY);
            if (name != null && url != null) {
                all.add(new VendorConfig(name.toString(), url.toString()));
            }
        }
        all.sort(Comparator.comparing(VendorConfig::name));
        return List.copyOf(all);
    }

    public Optional<VendorConfig> find(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }
}
