package dev.aggregator.config;

import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Gathers the contract's settings from Camel's properties (application.properties, test overrides)
 * with the environment on top, as the contract says every setting can be overridden by env.
 */
public final class SettingsLoader {

    private static final java.util.List<String> KNOWN = java.util.List.of(
            "PORT", "DB_URI", "RABBITMQ_URI", "VENDOR_POLL_PERIOD", "VENDOR_RATE_LIMIT", "DEMO_VENDORS", "ADMIN_TOKEN",
            "WEBHOOK_URL", "WEBHOOK_SECRET", "WEBHOOK_ALLOWED_HOSTS");
    /** Numbered vendors in files are looked up by name up to this number; the environment has no limit. */
    private static final int MAX_NUMBERED_VENDORS = 200;

    private SettingsLoader() {
    }

    public static Settings load(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Map<String, String> values = new HashMap<>();
        copy(pc.loadProperties(), values);
        var impl = pc instanceof org.apache.camel.component.properties.PropertiesComponent p ? p : null;
        if (impl != null && impl.getInitialProperties() != null) copy(impl.getInitialProperties(), values);
        System.getenv().forEach((k, v) -> {
            if (isSetting(k)) values.put(k, v);
        });
        // Keys that only a file or a test override holds are found by asking for them by name.
        for (String key : KNOWN) {
            values.putIfAbsent(key, null);
        }
        for (int n = 1; n <= MAX_NUMBERED_VENDORS; n++) {
            values.putIfAbsent("VENDOR_URL_" + n, null);
            values.putIfAbsent("VENDOR_NAME_" + n, null);
            values.putIfAbsent("VENDOR_RATE_LIMIT_" + n, null);
            values.putIfAbsent("VENDOR_CONCURRENCY_" + n, null);
            values.putIfAbsent("VENDOR_TIMEOUT_" + n, null);
            values.putIfAbsent("VENDOR_POLL_PERIOD_" + n, null);
            values.putIfAbsent("VENDOR_TOKEN_" + n, null);
            values.putIfAbsent("VENDOR_HEADERS_" + n, null);
        }
        // Resolve each through the component so placeholders inside values and test overrides apply.
        for (String key : new java.util.ArrayList<>(values.keySet())) {
            if (isSetting(key)) {
                pc.resolveProperty(key).ifPresent(v -> values.put(key, v));
            }
        }
        if (impl != null && impl.getOverrideProperties() != null) copy(impl.getOverrideProperties(), values);
        values.values().removeIf(java.util.Objects::isNull);
        return Settings.from(values);
    }

    private static void copy(Properties from, Map<String, String> to) {
        from.forEach((k, v) -> {
            if (isSetting(k.toString())) to.put(k.toString(), v.toString());
        });
    }

    private static boolean isSetting(String key) {
        return key.matches("[A-Z][A-Z0-9_]*");
    }
}
