package dev.aggregator.observability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose observability profile's files agree with each other: Prometheus scrapes exactly the aggregator
 * services of docker-compose.yml on their ports, Grafana reads that Prometheus and the dashboard folder, and the
 * instances send their spans to the profile's OTLP receiver. (Without a Docker engine this is what can be checked.)
 */
class ObservabilityStackTest {

    private static final String PROFILE = "observability";

    @Test
    void prometheusScrapesEveryAggregatorServiceOnItsPort() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Set<String> expected = new TreeSet<>();
        aggregators(services).forEach((name, service) -> expected.add(name + ":" + environment(service).get("PORT")));
        assertThat(expected).as("aggregator services (built from the Dockerfile)").contains("app:8000", "app2:8000");

        Map<String, Object> prometheus = yaml(Path.of("observability", "prometheus", "prometheus.yml"));
        List<Map<String, Object>> jobs = list(prometheus.get("scrape_configs"));
        Map<String, Object> job = jobs.stream().filter(j -> "order-aggregator".equals(j.get("job_name"))).findFirst().orElseThrow();
        assertThat(job.get("metrics_path")).isEqualTo("/metrics");
        Set<String> targets = new TreeSet<>();
        for (Map<String, Object> sc : list(job.get("static_configs"))) {
            for (Object t : (List<?>) sc.get("targets")) {
                targets.add(t.toString());
            }
        }
        assertThat(targets).isEqualTo(expected);

        Map<String, Object> prom = services.get("prometheus");
        assertThat(profiles(prom)).contains(PROFILE);
        assertThat(strings(prom.get("volumes"))).contains("./observability/prometheus/prometheus.yml:/etc/prometheus/prometheus.yml:ro");
    }

    @Test
    void grafanaReadsThatPrometheusAndTheDashboardsInTheRepo() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> grafana = services.get("grafana");
        assertThat(profiles(grafana)).contains(PROFILE);

        Map<String, Object> ds = list(yaml(Path.of("observability", "grafana", "provisioning", "datasources", "prometheus.yml"))
                .get("datasources")).get(0);
        assertThat(ds.get("url")).isEqualTo("http://prometheus:" + containerPort(services.get("prometheus"), 9090));

        // The provider reads the folder the compose file mounts the repo's dashboards at.
        String mountedAt = strings(grafana.get("volumes")).stream().filter(v -> v.startsWith("./observability/grafana/dashboards:"))
                .map(v -> v.split(":")[1]).findFirst().orElseThrow();
        Map<String, Object> provider = list(yaml(Path.of("observability", "grafana", "provisioning", "dashboards", "dashboards.yml"))
                .get("providers")).get(0);
        assertThat(((Map<?, ?>) provider.get("options")).get("path")).isEqualTo(mountedAt);
        assertThat(strings(grafana.get("volumes"))).contains("./observability/grafana/provisioning:/etc/grafana/provisioning:ro");

        // Every panel and query names the provisioned datasource.
        JsonNode dashboard = new ObjectMapper().readTree(GrafanaDashboards.DIRECTORY.resolve("order-aggregator.json").toFile());
        assertThat(dashboard.get("panels")).isNotEmpty();
        for (JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.at("/datasource/uid").asText()).as(panel.get("title").asText()).isEqualTo(ds.get("uid"));
            for (JsonNode target : panel.get("targets")) {
                assertThat(target.at("/datasource/uid").asText()).isEqualTo(ds.get("uid"));
            }
        }
    }

    @Test
    void everyInstanceSendsItsSpansToTheProfilesOtlpReceiver() throws IOException {
        Map<String, Map<String, Object>> services = services();
        Map<String, Object> jaeger = services.get("jaeger");
        assertThat(profiles(jaeger)).contains(PROFILE);
        aggregators(services).forEach((name, service) -> {
            Map<String, Object> env = environment(service);
            // off unless the command names the collector: a plain "docker compose up" exports nowhere
            assertThat(String.valueOf(env.get("OTEL_EXPORTER_OTLP_ENDPOINT"))).as(name).isEqualTo("${OTEL_EXPORTER_OTLP_ENDPOINT-}");
            assertThat(env.get("OTEL_EXPORTER_OTLP_PROTOCOL")).as(name).isEqualTo("http/protobuf");
        });
        // The one command is written where people look for it.
        assertThat(Files.readString(Path.of("docker-compose.yml"))).contains("OTEL_EXPORTER_OTLP_ENDPOINT=http://jaeger:" + containerPort(jaeger, 4318) + " docker compose --profile observability up --build");
    }

    @Test
    void theQueryParserFindsMetricsNotFunctionsOrLabels() {
        assertThat(GrafanaDashboards.selectors(
                "histogram_quantile(0.99, sum by (vendor, le) (rate(aggregator_vendor_put_seconds_bucket[$__rate_interval])))"))
                .containsExactly(new GrafanaDashboards.Selector("aggregator_vendor_put_seconds_bucket", Map.of()));
        assertThat(GrafanaDashboards.selectors("sum(rate(a_total{status=\"FAILED\", vendor=~\"v.*\"}[1m])) / on (x) group_left b offset 5m"))
                .containsExactly(new GrafanaDashboards.Selector("a_total", Map.of("status", "FAILED")),
                        new GrafanaDashboards.Selector("b", Map.of()));
        assertThat(GrafanaDashboards.allSelectors()).extracting(GrafanaDashboards.Selector::metric)
                .contains("aggregator_orders_accepted_total", "aggregator_vendor_put_seconds_bucket", "aggregator_vendor_breaker_state");
    }

    // --- reading the files

    private static Map<String, Map<String, Object>> services() throws IOException {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        ((Map<?, ?>) yaml(Path.of("docker-compose.yml")).get("services")).forEach((k, v) -> out.put(k.toString(), map(v)));
        return out;
    }

    /** The services that run the aggregator: built from the repo's Dockerfile. */
    private static Map<String, Map<String, Object>> aggregators(Map<String, Map<String, Object>> services) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        services.forEach((name, s) -> {
            if (s.containsKey("build")) {
                out.put(name, s);
            }
        });
        return out;
    }

    /** A service's environment, with a YAML merge key (<<: *anchor) resolved whether or not the parser did. */
    private static Map<String, Object> environment(Map<String, Object> service) {
        Map<String, Object> env = new LinkedHashMap<>();
        Map<String, Object> declared = map(service.get("environment"));
        if (declared.get("<<") instanceof Map<?, ?> merged) {
            merged.forEach((k, v) -> env.put(k.toString(), v));
        }
        declared.forEach((k, v) -> {
            if (!"<<".equals(k)) {
                env.put(k, v);
            }
        });
        return env;
    }

    /** The container port a service publishes (the right-hand side of "host:container"), given the one expected. */
    private static int containerPort(Map<String, Object> service, int port) {
        List<String> ports = strings(service.get("ports"));
        assertThat(ports).anyMatch(p -> p.endsWith(":" + port));
        return port;
    }

    private static List<String> profiles(Map<String, Object> service) {
        assertThat(service).as("service").isNotNull();
        return strings(service.get("profiles"));
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        return map(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(file)));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object o) {
        return (List<Map<String, Object>>) o;
    }

    private static List<String> strings(Object o) {
        return o == null ? List.of() : ((List<?>) o).stream().map(Object::toString).toList();
    }
}
