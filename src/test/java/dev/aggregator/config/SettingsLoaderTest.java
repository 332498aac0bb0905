package dev.aggregator.config;

import java.util.Properties;

import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Where the settings come from: the file, the component's overrides, system properties; each by its own name. */
class SettingsLoaderTest {

    @Test
    void numberedVendorsAreFoundInEverySourceWithoutBeingAskedForByName() throws Exception {
        // a number far above the 200 that names were once asked for up to
        String url = "VENDOR_URL_431";
        System.setProperty(url, "http://127.0.0.1:9/catalog");
        System.setProperty("VENDOR_NAME_431", "fromsystem");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:application.properties");
            Properties overrides = new Properties();
            overrides.put("VENDOR_URL_2", "http://127.0.0.1:9/two");
            overrides.put("VENDOR_NAME_2", "fromoverride");
            overrides.put("DEMO_VENDORS", "false");
            context.getPropertiesComponent().setOverrideProperties(overrides);
            Settings settings = SettingsLoader.load(context);
            assertThat(settings.vendors()).extracting(VendorConfig::name).contains("fromsystem", "fromoverride");
            assertThat(settings.vendors()).filteredOn(v -> v.name().equals("fromsystem"))
                    .extracting(VendorConfig::url).containsExactly("http://127.0.0.1:9/catalog");
            assertThat(settings.demoVendors()).isFalse();
        } finally {
            System.clearProperty(url);
            System.clearProperty("VENDOR_NAME_431");
        }
    }

    @Test
    void aSystemPropertyWinsOverTheFile() throws Exception {
        System.setProperty("VENDOR_POLL_PERIOD", "7s");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            context.getPropertiesComponent().setLocation("file:application.properties");
            assertThat(SettingsLoader.load(context).pollPeriodMillis()).isEqualTo(7_000);
        } finally {
            System.clearProperty("VENDOR_POLL_PERIOD");
        }
    }

    @Test
    void numberedVendorsOfTheFileAreRead() throws Exception {
        java.nio.file.Path file = java.nio.file.Files.createTempFile("settings", ".properties");
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            java.nio.file.Files.writeString(file, String.join("\n",
                    "PORT = 8123", "DB_URI = postgres://postgres@127.0.0.1:5432/x", "RABBITMQ_URI = amqp://guest:guest@127.0.0.1:5672",
                    "VENDOR_POLL_PERIOD = 30s", "VENDOR_RATE_LIMIT = 10", "DEMO_VENDORS = false", "VENDOR_URL_388 = http://127.0.0.1:9/file", "VENDOR_NAME_388 = fromfile", ""));
            context.getPropertiesComponent().setLocation("file:" + file);
            Settings settings = SettingsLoader.load(context);
            assertThat(settings.port()).isEqualTo(8123);
            assertThat(settings.vendors()).extracting(VendorConfig::name).containsExactly("fromfile");
        } finally {
            java.nio.file.Files.deleteIfExists(file);
        }
    }
}
