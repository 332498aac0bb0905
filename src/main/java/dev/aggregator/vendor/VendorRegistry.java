package dev.aggregator.vendor;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Consumer;

import dev.aggregator.config.Settings;
import dev.aggregator.config.SettingsException;
import dev.aggregator.config.VendorConfig;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangeProperty;
import org.apache.camel.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The vendors this service knows: one per vendor-poller route, whether the route came from the
 * environment or from a YAML file in routes/. Reading the routes keeps one source of truth. Vendor files
 * come and go while the service runs (VendorFiles): after each change {@link #refresh} reads the routes
 * again and tells the listeners (the lanes, the poll triggers) what the vendors are now.
 */
public class VendorRegistry {

    public static final String VENDOR_PROPERTY = "vendor";
    public static final String URL_PROPERTY = "vendor-url";
    public static final String RATE_PROPERTY = "vendor-rate-limit";
    public static final String CONCURRENCY_PROPERTY = "vendor-concurrency";
    public static final String TIMEOUT_PROPERTY = "vendor-timeout";
    public static final String PERIOD_PROPERTY = "pollPeriodMillis";
    public static final String TOKEN_PROPERTY = "vendor-token";
    public static final String HEADERS_PROPERTY = "vendor-headers";
    private static final Logger LOG = LoggerFactory.getLogger(VendorRegistry.class);

    private final CamelContext context;
    private final List<VendorConfig> configured;
    private final List<Consumer<List<VendorConfig>>> listeners = new CopyOnWriteArrayList<>();
    private final Map<VendorConfig, VendorAccess> access = new ConcurrentHashMap<>();
    /** Read from the routes once Camel has started, and again after each change of the vendor files. */
    private volatile List<VendorConfig> current;

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
        List<VendorConfig> cached = current;
        if (cached != null) {
            return cached;
        }
        List<VendorConfig> all = fromRoutes();
        if (context.isStarted()) {
            current = all;
        }
        return all;
    }

    /** Reads the poller routes again and tells every listener the vendors as they are now. */
    public synchronized List<VendorConfig> refresh() {
        List<VendorConfig> all = fromRoutes();
        current = all;
        access.keySet().retainAll(all);
        for (Consumer<List<VendorConfig>> listener : listeners) {
            try {
                listener.accept(all);
            } catch (RuntimeException e) {
                LOG.error("Applying the vendor change failed: {}", e.getMessage(), e);
            }
        }
        return all;
    }

    private final Map<String, Long> pausedUntilNanos = new ConcurrentHashMap<>();
    private final List<java.util.function.BiConsumer<String, java.time.Duration>> pauseListeners = new CopyOnWriteArrayList<>();

    /**
     * The vendor asked for no request for this long (Retry-After on a poll's page or an order): every caller
     * of the vendor waits it out, the poller and the delivery lane alike, so the vendor never sees a request
     * sooner than it asked, whichever of them it told.
     */
    public void pause(String vendor, java.time.Duration wait) {
        long until = System.nanoTime() + wait.toNanos();
        pausedUntilNanos.merge(vendor, until, (a, b) -> a - b > 0 ? a : b);
        pauseListeners.forEach(l -> l.accept(vendor, wait));
    }

    /** How much of a pause the vendor asked for is left, in nanoseconds (0: none). */
    public long pauseRemainingNanos(String vendor) {
        Long until = pausedUntilNanos.get(vendor);
        return until == null ? 0 : Math.max(0, until - System.nanoTime());
    }

    /** Told of every pause a vendor asked for (the delivery lanes pause their calls too). */
    public void onPause(java.util.function.BiConsumer<String, java.time.Duration> listener) {
        pauseListeners.add(listener);
    }

    /** Called with the vendors after every refresh. */
    public void onChange(Consumer<List<VendorConfig>> listener) {
        listeners.add(listener);
    }

    /** The poller routes (from the template, in Java or YAML): those carrying the vendor property. */
    public List<Route> pollers() {
        return context.getRoutes().stream().filter(r -> r.getProperties().get(VENDOR_PROPERTY) != null).toList();
    }

    public Optional<VendorConfig> find(String name) {
        return all().stream().filter(v -> v.name().equals(name)).findFirst();
    }

    /** How to reach the vendor (its current configuration), or empty when it is not configured now. */
    public Optional<VendorAccess> access(String name) {
        return find(name).map(v -> access.computeIfAbsent(v, VendorAccess::of));
    }

    /** The vendor's credentials as request headers on the message, for a poll or an order PUT. */
    public void authorize(@ExchangeProperty(VENDOR_PROPERTY) String vendor, Exchange exchange) {
        access(vendor).ifPresent(a -> a.headers().forEach(exchange.getMessage()::setHeader));
    }

    /** The text with the vendor's secrets hidden (the text as is for a vendor not configured now). */
    public String redact(String vendor, String text) {
        return vendor == null ? text : access(vendor).map(a -> a.redact(text)).orElse(text);
    }

    private List<VendorConfig> fromRoutes() {
        List<VendorConfig> all = new ArrayList<>();
        for (Route route : pollers()) {
            Map<String, Object> p = route.getProperties();
            Object url = p.get(URL_PROPERTY);
            if (url != null) {
                String name = p.get(VENDOR_PROPERTY).toString();
                all.add(new VendorConfig(name, url.toString(),
                        optional(name, p.get(RATE_PROPERTY), "rateLimit", Settings::parseRate),
                        optional(name, p.get(CONCURRENCY_PROPERTY), "concurrency", Settings::parseConcurrency),
                        optional(name, p.get(TIMEOUT_PROPERTY), "timeout", Settings::parsePeriod),
                        optional(name, p.get(PERIOD_PROPERTY), "period", Settings::parsePeriod),
                        p.get(TOKEN_PROPERTY) == null ? null : p.get(TOKEN_PROPERTY).toString(),
                        optional(name, p.get(HEADERS_PROPERTY), "headers", Settings::parseHeaders),
                        api(name, templateParameters(route))));
            }
        }
        all.sort(Comparator.comparing(VendorConfig::name));
        return List.copyOf(all);
    }

    /**
     * The parameters the poller route was made from, as its file (or the environment) gave them: jq
     * expressions are taken as written, never read as property placeholders.
     */
    private Map<String, Object> templateParameters(Route route) {
        var model = context.getCamelContextExtension().getContextPlugin(org.apache.camel.model.Model.class);
        var definition = model == null ? null : model.getRouteDefinition(route.getRouteId());
        return definition == null || definition.getTemplateParameters() == null ? Map.of() : definition.getTemplateParameters();
    }

    /** The vendor file's API settings; the default reading when they cannot be read (said in the log). */
    private dev.aggregator.config.VendorApi api(String vendor, Map<String, Object> parameters) {
        Map<String, String> settings = new java.util.LinkedHashMap<>();
        for (String name : dev.aggregator.config.VendorApi.PARAMETERS) {
            Object v = parameters.get(name);
            if (v != null && !v.toString().isBlank()) {
                // only the headers may hold a secret from the environment ({{env:NAME}}); expressions stay as written
                settings.put(name, name.equals("orderHeaders") ? context.resolvePropertyPlaceholders(v.toString()) : v.toString());
            }
        }
        if (settings.isEmpty()) {
            return dev.aggregator.config.VendorApi.DEFAULT;
        }
        try {
            return dev.aggregator.config.VendorApi.of(settings);
        } catch (SettingsException e) {
            LOG.error("Vendor {}: its API settings cannot be used, read as the default: {}", vendor, e.getMessage());
            return dev.aggregator.config.VendorApi.DEFAULT;
        }
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
}
