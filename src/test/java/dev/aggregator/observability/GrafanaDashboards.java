package dev.aggregator.observability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads the Grafana dashboards of the compose observability profile (their JSON in the repo) and the metric
 * selectors their PromQL queries use, so tests can hold them against what GET /metrics really exposes.
 */
final class GrafanaDashboards {

    static final Path DIRECTORY = Path.of("observability", "grafana", "dashboards");

    /** A metric the queries select, and the label values they require of it (name="value" matchers only). */
    record Selector(String metric, Map<String, String> labels) {
    }

    private static final Pattern RANGE = Pattern.compile("\\[[^\\]]*\\]");
    private static final Pattern GROUPING = Pattern.compile("\\b(by|without|on|ignoring|group_left|group_right)\\s*\\([^)]*\\)");
    // An identifier not inside a number, its optional {matchers}, and whether a "(" follows (then it is a function).
    private static final Pattern TOKEN = Pattern.compile("(?<![\\w.$])([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*(\\{[^}]*\\})?\\s*(\\()?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!=|!~|=)\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Set<String> KEYWORDS = Set.of("by", "without", "on", "ignoring", "group_left", "group_right",
            "bool", "and", "or", "unless", "offset", "inf", "nan");

    private GrafanaDashboards() {
    }

    /** Every PromQL expression of every panel (rows' nested panels included) of every dashboard in the folder. */
    static List<String> expressions() {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(DIRECTORY)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                collect(new ObjectMapper().readTree(file.toFile()).get("panels"), out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static void collect(JsonNode panels, List<String> out) {
        if (panels == null) {
            return;
        }
        for (JsonNode panel : panels) {
            for (JsonNode target : panel.path("targets")) {
                if (target.hasNonNull("expr")) {
                    out.add(target.get("expr").asText());
                }
            }
            collect(panel.get("panels"), out);
        }
    }

    /** The metric selectors of one PromQL expression (functions, aggregations, grouping labels and keywords left out). */
    static List<Selector> selectors(String expr) {
        String s = RANGE.matcher(expr).replaceAll(" ");
        s = GROUPING.matcher(s).replaceAll(" ");
        List<Selector> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(s);
        while (m.find()) {
            String name = m.group(1);
            if (m.group(3) != null || KEYWORDS.contains(name.toLowerCase())) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher lm = MATCHER.matcher(m.group(2));
                while (lm.find()) {
                    if ("=".equals(lm.group(2))) {
                        labels.put(lm.group(1), lm.group(3));
                    }
                }
            }
            out.add(new Selector(name, labels));
        }
        return out;
    }

    static Set<Selector> allSelectors() {
        Set<Selector> out = new LinkedHashSet<>();
        expressions().forEach(e -> out.addAll(selectors(e)));
        return out;
    }
}
