package dev.aggregator.stock;

import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashSet;
import java.util.Properties;
import java.util.Set;

import dev.aggregator.testsupport.AggregatorTestSupport;
import org.apache.camel.main.MainConfigurationProperties;
import org.junit.jupiter.api.Test;
import testvendors.FlakyVendorRoutes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** One vendor answering 500 and another hanging must not stop or slow a healthy vendor's sync. */
class VendorFailureIT extends AggregatorTestSupport {

    @Override
    protected void configure(MainConfigurationProperties configuration) {
        super.configure(configuration);
        configuration.addRoutesBuilder(new FlakyVendorRoutes());
    }

    @Override
    protected void settings(Properties p) {
        String base = "http://127.0.0.1:" + port;
        p.setProperty("VENDOR_URL_1", base + "/broken/products");
        p.setProperty("VENDOR_URL_2", base + "/hanging/products");
        p.setProperty("VENDOR_URL_3", base + "/vendorA/products");
        p.setProperty("VENDOR_POLL_PERIOD", "300ms");
        p.setProperty("camel.component.http.response-timeout", "1500");
        p.setProperty("camel.component.http.so-timeout", "1500");
    }

    @Test
    void healthyVendorKeepsSyncingWhileOthersFail() {
        // vendorA is polled every 300 ms; a shared thread stuck behind a 1.5 s time-out could not manage
        // four fresh fetches in the same few seconds.
        Set<Timestamp> fetches = new HashSet<>();
        await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
            fetches.add(jdbc().queryForObject("SELECT max(fetched_at) FROM products WHERE vendor = 'vendorA'", Timestamp.class));
            fetches.remove(null);
            return fetches.size() >= 4 && productCount("vendorA") == 60;
        });
        assertThat(productCount("broken")).isZero();
        assertThat(productCount("hanging")).isZero();
        assertThat(context.getRouteController().getRouteStatus("vendor-poller-broken").isStarted()).isTrue();
        assertThat(context.getRouteController().getRouteStatus("vendor-poller-hanging").isStarted()).isTrue();
    }
}
