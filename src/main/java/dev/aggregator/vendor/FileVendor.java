package dev.aggregator.vendor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.aggregator.config.Settings;
import dev.aggregator.config.SettingsException;

/**
 * One vendor as a vendor file declares it (a templatedRoute of vendor-poller), checked as the environment's
 * vendors are (Settings) before any route is touched: a wrong file is refused at load, naming the parameter,
 * instead of "loading" and then failing every poll.
 *
 * The route id is derived from the vendor's name, vendor-poller-&lt;vendor&gt;, as for the environment's vendors:
 * a file's own routeId (missing, or copied from the sample unchanged) is not used, so two files can only
 * collide by naming one vendor, which VendorFiles refuses.
 *
 * @param parameters the template's parameters as given, placeholders resolved; blank optional ones left out
 *                   so the template's defaults apply
 * @param ignoredRouteId the file's routeId when it differs from the derived one (said in the log), else null
 */
public record FileVendor(String name, String routeId, Map<String, String> parameters, String ignoredRouteId) {

    public static final String ROUTE_PREFIX = "vendor-poller-";

    public FileVendor {
        parameters = Map.copyOf(parameters);
    }

    /**
     * @param givenRouteId the file's routeId, or null
     * @param parameters   name and resolved value, in the file's order (a name given twice is refused)
     * @param known        the parameters the vendor-poller template takes
     * @throws SettingsException naming the parameter and what is wrong (never a secret's value)
     */
    public static FileVendor check(String givenRouteId, List<Map.Entry<String, String>> parameters, Set<String> known) {
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, String> p : parameters) {
            String name = p.getKey() == null ? "" : p.getKey().trim();
            if (!known.contains(name)) {
                throw new SettingsException("parameter '" + name + "'", "is not one of vendor-poller's (" + String.join(", ", new TreeSet<>(known)) + ")");
            }
            if (given.put(name, p.getValue() == null ? "" : p.getValue().trim()) != null) {
                throw new SettingsException("parameter '" + name + "'", "is given twice");
            }
        }
        String vendor = given.getOrDefault("vendor", "");
        if (vendor.isEmpty()) {
            throw new SettingsException("vendor", "is missing; every vendor file names its vendor");
        }
        String name = Settings.parseVendorName("vendor", vendor);
        String url = given.getOrDefault("url", "");
        if (url.isEmpty()) {
            throw new SettingsException("url", "is missing; every vendor file gives its vendor's product-list URL");
        }
        Settings.parseVendorUrl("url", url);
        // The optional ones as VENDOR_*_<n> are read; blank means the global setting, as unset does there.
        check(given, "period", Settings::parsePeriod);
        check(given, "timeout", Settings::parsePeriod);
        check(given, "rateLimit", Settings::parseRate);
        check(given, "concurrency", Settings::parseConcurrency);
        check(given, "headers", Settings::parseHeaders);
        given.values().removeIf(String::isEmpty);
        // The vendor's API (paging, format, mapping, orders): its values checked and its expressions compiled now.
        Map<String, String> api = new LinkedHashMap<>();
        given.forEach((k, v) -> {
            if (dev.aggregator.config.VendorApi.PARAMETERS.contains(k)) {
                api.put(k, v);
            }
        });
        dev.aggregator.config.VendorApi.of(api);
        String routeId = ROUTE_PREFIX + name;
        String ignored = givenRouteId == null || givenRouteId.isBlank() || givenRouteId.trim().equals(routeId) ? null : givenRouteId.trim();
        return new FileVendor(name, routeId, given, ignored);
    }

    private static void check(Map<String, String> given, String parameter, java.util.function.BiFunction<String, String, ?> parse) {
        String raw = given.get(parameter);
        if (raw != null && !raw.isEmpty()) {
            parse.apply(parameter, raw);
        }
    }

    /** The vendor as the registry would know it once its file runs. */
    public dev.aggregator.config.VendorConfig config() {
        Map<String, String> api = new LinkedHashMap<>();
        parameters.forEach((k, v) -> {
            if (dev.aggregator.config.VendorApi.PARAMETERS.contains(k)) {
                api.put(k, v);
            }
        });
        String rate = parameters.get("rateLimit");
        String concurrency = parameters.get("concurrency");
        String timeout = parameters.get("timeout");
        String period = parameters.get("period");
        return new dev.aggregator.config.VendorConfig(name, parameters.get("url"),
                rate == null ? null : Settings.parseRate("rateLimit", rate),
                concurrency == null ? null : Settings.parseConcurrency("concurrency", concurrency),
                timeout == null ? null : Settings.parsePeriod("timeout", timeout),
                period == null ? null : Settings.parsePeriod("period", period),
                parameters.get("token"),
                parameters.get("headers") == null ? null : Settings.parseHeaders("headers", parameters.get("headers")),
                dev.aggregator.config.VendorApi.of(api));
    }
}
