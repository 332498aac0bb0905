package dev.aggregator.vendor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.aggregator.config.SettingsException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileVendorTest {

    private static final Set<String> KNOWN = Set.of("vendor", "url", "period", "rateLimit", "concurrency", "timeout", "token", "headers");

    private static List<Map.Entry<String, String>> params(String... kv) {
        List<Map.Entry<String, String>> out = new ArrayList<>();
        for (int i = 0; i < kv.length; i += 2) {
            out.add(Map.entry(kv[i], kv[i + 1]));
        }
        return out;
    }

    private static FileVendor check(String... kv) {
        return FileVendor.check(null, params(kv), KNOWN);
    }

    @Test
    void theRouteIdIsDerivedFromTheVendor() {
        FileVendor v = FileVendor.check("vendor-poller-vendorC", params("vendor", " vendorD ", "url", "https://d.example.com/products"), KNOWN);
        assertThat(v.name()).isEqualTo("vendorD");
        assertThat(v.routeId()).isEqualTo("vendor-poller-vendorD");
        assertThat(v.ignoredRouteId()).isEqualTo("vendor-poller-vendorC");
        assertThat(FileVendor.check("vendor-poller-vendorD", params("vendor", "vendorD", "url", "http://d/p"), KNOWN).ignoredRouteId()).isNull();
        assertThat(check("vendor", "vendorD", "url", "http://d/p").ignoredRouteId()).isNull();
    }

    @Test
    void blankOptionalParametersAreLeftToTheDefaults() {
        FileVendor v = check("vendor", "c", "url", "http://c/p", "token", "", "headers", " ", "period", "", "rateLimit", "2.5");
        assertThat(v.parameters()).containsOnlyKeys("vendor", "url", "rateLimit").containsEntry("rateLimit", "2.5");
    }

    @Test
    void everyParameterIsCheckedAsTheEnvironmentsAre() {
        assertThatThrownBy(() -> check("vendor", "c", "url", "c.example.com/products?key=k-123456"))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("url: 'c.example.com/products?key=***' is not an http(s) URL").hasMessageNotContaining("k-123456");
        assertThatThrownBy(() -> check("vendor", "c", "url", "ftp://c/p")).hasMessageContaining("not an http(s) URL");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "rateLimit", "fast")).hasMessageStartingWith("rateLimit: 'fast'");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "rateLimit", "0")).hasMessageStartingWith("rateLimit:");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "period", "5 minutes")).hasMessageStartingWith("period: '5 minutes'");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "timeout", "0s")).hasMessageStartingWith("timeout:");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "concurrency", "5000")).hasMessageStartingWith("concurrency:");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "headers", "X-Key hdr-secret-1"))
                .hasMessageStartingWith("headers:").hasMessageNotContaining("hdr-secret-1");
        assertThatThrownBy(() -> check("vendor", "no/slash", "url", "http://c/p")).hasMessageStartingWith("vendor: 'no/slash' is not a vendor name");
    }

    @Test
    void unknownRepeatedOrMissingParametersAreRefused() {
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "colour", "red"))
                .hasMessageStartingWith("parameter 'colour': is not one of vendor-poller's (concurrency, headers, period");
        assertThatThrownBy(() -> check("vendor", "c", "url", "http://c/p", "url", "http://d/p")).hasMessage("parameter 'url': is given twice");
        assertThatThrownBy(() -> check("url", "http://c/p")).hasMessageStartingWith("vendor: is missing");
        assertThatThrownBy(() -> check("vendor", "c", "token", "t")).hasMessageStartingWith("url: is missing");
    }

    /** Issue 24: a vendor file's API settings are checked when it loads, expressions compiled. */
    @Test
    void theApiSettingsAreCheckedAndTheirExpressionsCompiled() {
        java.util.Set<String> known = new java.util.HashSet<>(KNOWN);
        known.addAll(dev.aggregator.config.VendorApi.PARAMETERS);
        FileVendor ok = FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "paging", "link",
                "records", ".products[] | . as $p | .variants[]", "orderBody", "{order: {note: .orderId}}"), known);
        assertThat(ok.parameters()).containsEntry("paging", "link");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "records", ".products["), known))
                .isInstanceOf(SettingsException.class).hasMessageStartingWith("records: '.products[' is not a jq expression");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "paging", "sideways"), known))
                .hasMessageStartingWith("paging: 'sideways' must be one of");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "paging", "cursor"), known))
                .hasMessageContaining("cursorField");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "orderMethod", "DELETE"), known))
                .hasMessageStartingWith("orderMethod:");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "orderAccepted", "2xx"), known))
                .hasMessageStartingWith("orderAccepted:");
        // a vendor of its own: its routes are direct: endpoints (that a route of the file consumes: VendorFiles)
        FileVendor own = FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "pageRoute", "direct:c-page",
                "orderRoute", "direct:c-order"), known);
        assertThat(own.config().api().pageRoute()).isEqualTo("direct:c-page");
        assertThat(own.config().api().orderRoute()).isEqualTo("direct:c-order");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "pageRoute", "http://c/p"), known))
                .hasMessageStartingWith("pageRoute: 'http://c/p' must be a direct: endpoint");
        assertThatThrownBy(() -> FileVendor.check(null, params("vendor", "c", "url", "http://c/p", "orderRoute", "direct:a b"), known))
                .hasMessageStartingWith("orderRoute: 'direct:a b' must be a direct: endpoint");
    }
}
