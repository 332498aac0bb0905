package dev.aggregator.config;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

import org.apache.camel.CamelContext;
import org.apache.camel.spi.PropertiesComponent;

/**
 * Gathers the contract's settings from Camel's properties (application.properties, test overrides)
 * with the environment on top, as the contract says every setting can be overridden by env.
 */
public final class SettingsLoader {

    /** The contract's settings are upper-case names (PORT, VENDOR_URL_1); Camel's own keys are not. */
    private static final Pattern SETTING = Pattern.compile("[A-Z][A-Z0-9_]*");

    private SettingsLoader() {
    }

    public static Settings load(CamelContext context) {
        PropertiesComponent pc = context.getPropertiesComponent();
        Map<String, String> values = new HashMap<>();
        copy(pc.loadProperties(), values);
        var impl = pc instanceof org.apache.camel.component.properties.PropertiesComponent p ? p : null;
        if (impl != null && impl.getInitialProperties() != null) copy(impl.getInitialProperties(), values);
        // Every source the component reads a key from besides its files and overrides: the environment and
        // system properties (-DVENDOR_URL_3=...). Copying their names, rather than asking the component for each
        // name a setting could have (1,600 numbered vendor keys), saves about 0.25 s of the main thread's CPU at
        // start-up (two loads, in the interpreter). Which source wins is still the component's answer below.
        copy(System.getenv(), values);
        copy(System.getProperties(), values);
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

    private static void copy(Map<?, ?> from, Map<String, String> to) {
        // entrySet, not forEach: the component's loaded properties (OrderedLocationProperties) keep their
        // entries in a map of their own, and Properties.forEach walks the empty one it inherits.
        for (Map.Entry<?, ?> e : from.entrySet()) {
            if (isSetting(e.getKey().toString())) to.put(e.getKey().toString(), String.valueOf(e.getValue()));
        }
    }

    private static boolean isSetting(String key) {
        return SETTING.matcher(key).matches();
    }
}
