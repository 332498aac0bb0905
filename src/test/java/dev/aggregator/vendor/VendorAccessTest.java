package dev.aggregator.vendor;

import java.util.Map;

import dev.aggregator.config.Settings;
import dev.aggregator.config.SettingsException;
import dev.aggregator.config.VendorConfig;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VendorAccessTest {

    private static VendorAccess access(String url, String token, Map<String, String> headers) {
        return VendorAccess.of(new VendorConfig("v", url).withCredentials(token, headers));
    }

    @Test
    void theUrlsOwnQueryIsKeptOnEveryPageAndOnThePut() {
        VendorAccess a = access("https://api.example.com/v1/products?key=abc123&region=eu&limit=5", null, Map.of());
        assertThat(a.base()).isEqualTo("https://api.example.com/v1/products");
        assertThat(a.pageQuery(null)).isEqualTo("key=abc123&region=eu&limit=5");
        // our paging replaces the URL's own limit/skip, the rest stays
        assertThat(a.pageQuery("limit=100&skip=200")).isEqualTo("key=abc123&region=eu&limit=100&skip=200");
        assertThat(a.putUrl("a b/c")).isEqualTo("https://api.example.com/v1/products/a%20b%2Fc?key=abc123&region=eu&limit=5");
        assertThat(access("http://h/vendorA/products/", null, Map.of()).putUrl("1")).isEqualTo("http://h/vendorA/products/1");
        assertThat(access("http://h/vendorA/products", null, Map.of()).pageQuery(null)).isNull();
    }

    @Test
    void credentialsBecomeHeadersAndTheTokenWinsOverUserAndPassword() {
        VendorAccess basic = access("https://shop:p%40ss@h.example/products", null, Map.of("X-Tenant", "7"));
        assertThat(basic.base()).isEqualTo("https://h.example/products");
        assertThat(basic.headers()).containsEntry("Authorization", "Basic c2hvcDpwQHNz").containsEntry("X-Tenant", "7");
        assertThat(access("https://shop:pw@h.example/products", "tok", Map.of()).headers())
                .containsEntry("Authorization", "Bearer tok");
    }

    @Test
    void secretsAreHiddenInTextAndInTheDisplayedUrl() {
        VendorAccess a = access("https://shop:hunter22@h.example/p?key=k-123456", "tok-987654", Map.of("X-Api-Key", "hdr-555666"));
        String text = "PUT https://h.example/p/1?key=k-123456 failed; echoed tok-987654 and hdr-555666 and hunter22";
        assertThat(a.redact(text)).doesNotContain("k-123456", "tok-987654", "hdr-555666", "hunter22").contains("***");
        assertThat(a.displayUrl()).isEqualTo("https://h.example/p?key=***");
        assertThat(new VendorConfig("v", "https://shop:hunter22@h.example/p").withCredentials("tok-987654", Map.of()).toString())
                .doesNotContain("hunter22", "tok-987654");
    }

    @Test
    void extraHeadersAreNameValuePairsSeparatedBySemicolons() {
        assertThat(Settings.parseHeaders("VENDOR_HEADERS_1", "X-Api-Key: abc; X-Tenant: 7;"))
                .containsExactly(Map.entry("X-Api-Key", "abc"), Map.entry("X-Tenant", "7"));
        assertThatThrownBy(() -> Settings.parseHeaders("VENDOR_HEADERS_1", "X-Api-Key abc"))
                .isInstanceOf(SettingsException.class).hasMessageContaining("VENDOR_HEADERS_1").hasMessageNotContaining("abc");
        assertThatThrownBy(() -> Settings.parseHeaders("VENDOR_HEADERS_1", "Bad Name: secret-v"))
                .isInstanceOf(SettingsException.class).hasMessageNotContaining("secret-v");
    }
}
