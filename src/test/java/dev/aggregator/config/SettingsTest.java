package dev.aggregator.config;

import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SettingsTest {

    /** The contract's settings as application.properties ships them: their one default. */
    private static Map<String, String> base() {
        java.util.Properties file = new java.util.Properties();
        try (var in = java.nio.file.Files.newBufferedReader(java.nio.file.Path.of("application.properties"))) {
            file.load(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Map<String, String> m = new HashMap<>();
        for (String key : file.stringPropertyNames()) {
            if (key.matches("[A-Z][A-Z0-9_]*")) {
                m.put(key, file.getProperty(key).trim());
            }
        }
        return m;
    }

    @Test
    void aSettingWithoutItsDefaultIsRefused() {
        Map<String, String> m = base();
        m.remove("VENDOR_RATE_LIMIT");
        assertThatThrownBy(() -> Settings.from(m)).isInstanceOf(SettingsException.class).hasMessageContaining("VENDOR_RATE_LIMIT");
    }

    @Test
    void theShippedDefaultsAreTheContractsDemoVendorsOnPort8000() {
        Settings s = Settings.from(base());
        assertThat(s.port()).isEqualTo(8000);
        assertThat(s.pollPeriodMillis()).isEqualTo(30_000);
        assertThat(s.vendorRateLimit()).isEqualTo(10.0);
        assertThat(s.demoVendors()).isTrue();
        assertThat(s.vendors()).containsExactly(
                new VendorConfig("vendorA", "http://localhost:8000/vendorA/products"),
                new VendorConfig("vendorB", "http://localhost:8000/vendorB/products"));
    }

    @Test
    void seedStyleDatabaseUriBecomesJdbcWithCredentials() {
        Settings.Database db = Settings.parseDatabase("postgres://app:p%40ss@db.example:6543/shop?sslmode=require");
        assertThat(db.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:6543/shop?sslmode=require");
        assertThat(db.user()).isEqualTo("app");
        assertThat(db.password()).isEqualTo("p@ss");
        assertThat(db.address()).isEqualTo("db.example:6543/shop");
        assertThat(db.toString()).doesNotContain("p@ss");
        assertThat(Settings.parseDatabase("jdbc:postgresql://h/db").jdbcUrl()).isEqualTo("jdbc:postgresql://h/db");
    }

    @Test
    void numberedVendorsInOrderWithNamesFromUrlOrSetting() {
        Map<String, String> m = base();
        m.put("VENDOR_URL_10", "https://ten.example/api/products");
        m.put("VENDOR_URL_2", "https://api.example/vendorX/products");
        m.put("VENDOR_URL_1", "https://one.example/catalog");
        m.put("VENDOR_NAME_10", "tenth");
        Settings s = Settings.from(m);
        assertThat(s.vendors()).extracting(VendorConfig::name).containsExactly("one.example", "vendorX", "tenth");
    }

    @ParameterizedTest
    @CsvSource({"500ms,500", "2s,2000", "1m,60000", "1h,3600000", "750,750"})
    void periods(String raw, long millis) {
        assertThat(Settings.parsePeriod("VENDOR_POLL_PERIOD", raw)).isEqualTo(millis);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "VENDOR_POLL_PERIOD|fortnightly|VENDOR_POLL_PERIOD: 'fortnightly' is not a period",
            "VENDOR_POLL_PERIOD|0s|must be longer than zero",
            "DB_URI|mysql://x/y|DB_URI: scheme 'mysql' is not supported",
            "DB_URI|postgres://host|DB_URI: names no database",
            "RABBITMQ_URI|amqp://|RABBITMQ_URI:",
            "PORT|70000|PORT: '70000' is out of range",
            "VENDOR_RATE_LIMIT|fast|VENDOR_RATE_LIMIT: 'fast' is not a number",
            "DEMO_VENDORS|maybe|DEMO_VENDORS: 'maybe' is not true or false",
            "VENDOR_URL_1|not a url|VENDOR_URL_1:",
            "DB_URI| |DB_URI: is empty"})
    void badValuesNameTheSetting(String key, String value, String message) {
        Map<String, String> m = base();
        m.put(key, value);
        assertThatThrownBy(() -> Settings.from(m)).isInstanceOf(SettingsException.class).hasMessageContaining(message);
    }

    /** Issue 25, item 12: no demo vendors and none named: the files' vendors alone, not two pointing at nothing. */
    @Test
    void withoutDemoVendorsAndWithoutUrlsTheEnvironmentHasNoVendor() {
        Map<String, String> m = base();
        m.put("DEMO_VENDORS", "false");
        assertThat(Settings.from(m).vendors()).isEmpty();
        m.put("VENDOR_URL_1", "http://a/shop/products");
        assertThat(Settings.from(m).vendors()).extracting(VendorConfig::name).containsExactly("shop");
    }

    @Test
    void twoVendorsWithOneNameAreRefused() {
        Map<String, String> m = base();
        m.put("VENDOR_URL_1", "http://a/shop/products");
        m.put("VENDOR_URL_2", "http://b/shop/products");
        assertThatThrownBy(() -> Settings.from(m)).hasMessageContaining("vendor name 'shop' is used twice");
    }

    @Test
    void passwordsAreRedactedInErrors() {
        assertThat(Settings.redact("postgres://u:topsecret@h/db")).isEqualTo("postgres://u:***@h/db");
        assertThat(Settings.redact("https://u:pw-123@h/p?key=k-123&flag&x=&page=2"))
                .isEqualTo("https://u:***@h/p?key=***&flag&x=***&page=***");
    }

    @Test
    void aVendorUrlWithoutSchemeIsRefusedWithoutItsSecrets() {
        Map<String, String> m = base();
        m.put("VENDOR_URL_1", "vendor.example.com/products?key=k-123456");
        assertThatThrownBy(() -> Settings.from(m))
                .hasMessageStartingWith("VENDOR_URL_1: 'vendor.example.com/products?key=***' is not an http(s) URL")
                .hasMessageNotContaining("k-123456");
        assertThatThrownBy(() -> Settings.parseVendorUrl("url", "https://u:pw-99@/nohost"))
                .hasMessageNotContaining("pw-99");
        assertThat(Settings.parseVendorUrl("url", " https://v.example.com/p ").getHost()).isEqualTo("v.example.com");
    }

    @Test
    void vendorNamesAreCheckedOnePlace() {
        assertThat(Settings.parseVendorName("vendor", " vendor-C.2 ")).isEqualTo("vendor-C.2");
        assertThatThrownBy(() -> Settings.parseVendorName("vendor", "no spaces")).hasMessageStartingWith("vendor: 'no spaces' is not a vendor name");
        assertThatThrownBy(() -> Settings.parseVendorName("vendor", "")).isInstanceOf(SettingsException.class);
    }

    @Test
    void webhooksAreOffUnlessSetAndAlwaysSigned() {
        assertThat(Settings.from(base()).webhooks()).isEqualTo(Settings.Webhooks.NONE);
        Map<String, String> m = base();
        m.put("WEBHOOK_URL", "https://shop.example.com/hooks");
        assertThatThrownBy(() -> Settings.from(m)).isInstanceOf(SettingsException.class).hasMessageContaining("WEBHOOK_SECRET");
        m.put("WEBHOOK_SECRET", "whsec_1");
        m.put("WEBHOOK_ALLOWED_HOSTS", " Hooks.Example.com, *.shop.example ,");
        Settings.Webhooks w = Settings.from(m).webhooks();
        assertThat(w.url()).hasToString("https://shop.example.com/hooks");
        assertThat(w.allowedHosts()).containsExactly("hooks.example.com", "*.shop.example");
        assertThat(w.allows("HOOKS.example.com")).isTrue();
        assertThat(w.allows("eu.shop.example")).isTrue();
        assertThat(w.allows("shop.example")).isFalse();
        assertThat(w.allows("evilshop.example")).isFalse();
        assertThat(w.allows("hooks.example.com.evil.io")).isFalse();
        assertThat(w.toString()).doesNotContain("whsec_1");
        m.put("WEBHOOK_ALLOWED_HOSTS", "hooks.example.com/path");
        assertThatThrownBy(() -> Settings.from(m)).hasMessageContaining("WEBHOOK_ALLOWED_HOSTS");
        m.remove("WEBHOOK_ALLOWED_HOSTS");
        m.put("WEBHOOK_URL", "ftp://x/y");
        assertThatThrownBy(() -> Settings.from(m)).hasMessageContaining("WEBHOOK_URL");
    }
}
