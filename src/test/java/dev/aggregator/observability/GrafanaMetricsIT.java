package dev.aggregator.observability;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import dev.aggregator.demo.DemoVendor;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Every metric the Grafana dashboard of the compose observability profile queries exists in GET /metrics under
 * that exact name (Prometheus' _total, _bucket, _count and _sum suffixes as the service writes them), with the
 * label values its selectors require, once the service has done what the charts show: a poll, an order SYNCED,
 * one FAILED. A renamed meter or a typo in the dashboard fails here, not as an empty chart.
 */
class GrafanaMetricsIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        // One FAILED order quickly, without the breaker (LanesIT's subject) holding the lane.
        p.setProperty("aggregator.delivery.breaker.window", "1000");
        p.setProperty("aggregator.delivery.breaker.minimum-calls", "1000");
        p.setProperty("aggregator.delivery.backoff-ms", "50");
    }

    @Test
    void everyMetricTheDashboardQueriesIsExposed() throws Exception {
        Set<GrafanaDashboards.Selector> queried = GrafanaDashboards.allSelectors();
        // Not vacuous: the dashboard's five charts query at least these.
        assertThat(queried).extracting(GrafanaDashboards.Selector::metric).contains("aggregator_orders_accepted_total",
                "aggregator_orders_finished_total", "aggregator_products_synced_total", "aggregator_vendor_put_seconds_bucket",
                "aggregator_vendor_breaker_state", "aggregator_queue_depth");

        awaitDemoCatalogues(); // a poll: products synced
        String synced = order("vendorA", 5);
        awaitStatus(synced, "SYNCED");
        DemoVendor vendorB = demoVendor("B");
        vendorB.setFaults(new DemoVendor.Faults(1000, 503, 0, 0));
        try {
            String failed = json(post("{\"id\":\"VB-1040\",\"vendor\":\"vendorB\",\"quantity\":1}")).get("orderId").asText();
            awaitStatus(failed, "FAILED");
        } finally {
            vendorB.setFaults(DemoVendor.Faults.NONE);
        }

        // Queue depths are written by the ops snapshot, in the background: wait for the whole set.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            HttpResponse<String> r = get("/metrics");
            assertThat(r.statusCode()).isEqualTo(200);
            Map<String, List<String>> series = series(r.body());
            List<String> missing = new ArrayList<>();
            for (GrafanaDashboards.Selector s : queried) {
                List<String> labelSets = series.getOrDefault(s.metric(), List.of());
                boolean found = labelSets.stream().anyMatch(labels -> s.labels().entrySet().stream()
                        .allMatch(e -> labels.contains(e.getKey() + "=\"" + e.getValue() + "\"")));
                if (!found) {
                    missing.add(s.metric() + s.labels());
                }
            }
            assertThat(missing).as("queried by the Grafana dashboard, absent from /metrics").isEmpty();
        });
    }

    /** Sample name -> the label sets ({...}) of its series, from the Prometheus text format. */
    private static Map<String, List<String>> series(String exposition) {
        Map<String, List<String>> out = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.indexOf(' ');
            int end = brace >= 0 && brace < space ? brace : space;
            String labels = brace >= 0 && brace < space ? line.substring(brace, line.lastIndexOf('}') + 1) : "";
            out.computeIfAbsent(line.substring(0, end), k -> new ArrayList<>()).add(labels);
        }
        return out;
    }
}
