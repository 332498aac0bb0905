package dev.aggregator.ops;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import com.fasterxml.jackson.databind.JsonNode;
import dev.aggregator.demo.DemoVendor;
import dev.aggregator.testsupport.AggregatorTestSupport;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 27: the dashboard's trend charts in a real headless Chromium. Orders go to a healthy vendor and to
 * one that fails until its breaker opens, then recovers: the charts draw points, the breaker chart paints
 * the open period, and the page logs no error. The chart library comes from the jar (no network).
 */
class TrendChartsIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("aggregator.ops.trends-period-ms", "500");
        p.setProperty("aggregator.ops.overview-period-ms", "1000");
        p.setProperty("aggregator.delivery.breaker.window", "4");
        p.setProperty("aggregator.delivery.breaker.minimum-calls", "4");
        p.setProperty("aggregator.delivery.breaker.open-ms", "2000");
        p.setProperty("aggregator.delivery.backoff-ms", "50");
    }

    @Test
    void theChartsShowOrdersLatenciesAndWhenAVendorsBreakerWasOpen() throws Exception {
        awaitDemoCatalogues();
        List<String> healthy = new ArrayList<>();
        for (int i = 1; i <= 10; i++) {
            healthy.add(order("vendorA", i));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> synced(healthy) == 10);

        DemoVendor vendorB = demoVendor("B");
        vendorB.setFaults(new DemoVendor.Faults(1000, 503, 0, 0));
        List<String> failing = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            HttpResponse<String> r = post("{\"id\":\"VB-100" + i + "\",\"vendor\":\"vendorB\",\"quantity\":1}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            failing.add(json(r).get("orderId").asText());
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> breakerSeries("vendorB").contains(1));
        vendorB.setFaults(DemoVendor.Faults.NONE); // the vendor recovers: the next probe closes the breaker
        await().atMost(Duration.ofSeconds(30)).until(() -> synced(failing) == 3);
        await().atMost(Duration.ofSeconds(10)).until(() -> {
            List<Integer> b = breakerSeries("vendorB");
            return b.indexOf(1) >= 0 && b.lastIndexOf(0) > b.indexOf(1); // open, then closed again
        });

        JsonNode trends = json(get("/ops/trends"));
        assertThat(max(trends.at("/ordersPerSecond/accepted"))).isGreaterThan(0);
        assertThat(max(trends.at("/ordersPerSecond/synced"))).isGreaterThan(0);
        assertThat(max(trends.at("/vendors/vendorA/p99Ms"))).isGreaterThan(0);
        assertThat(trends.at("/queues").has("sync_to_external")).isTrue();

        WebDriver browser = chromium();
        try {
            browser.get(baseUrl() + "/dashboard");
            JavascriptExecutor js = (JavascriptExecutor) browser;
            await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() ->
                    points(js, "orders") > 0 && points(js, "latency") > 0 && points(js, "breakers") > 0 && points(js, "queues") > 0);
            screenshot(browser, "dashboard-trends.png");
            // Drawn, not only given: the series' own colours are on the canvases.
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> pixels(js, "orders", 0x2e, 0x9d, 0x5b) > 20);
            // vendorA's latency: a few calls make a short line and its points (17 pixels of its colour in one CI run)
            await().atMost(Duration.ofSeconds(10)).ignoreExceptions().until(() -> pixels(js, "latency", 0x3b, 0x6f, 0xb6) > 8);
            assertThat(pixels(js, "breakers", 0xc8, 0x32, 0x32)).as("the open period in red").isGreaterThan(20);
            assertThat(pixels(js, "breakers", 0xcf, 0xe8, 0xd8)).as("closed periods").isGreaterThan(20);
            assertThat(text(js, "#chart-breakers")).contains("vendorA").contains("vendorB");

            List<LogEntry> errors = browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                    .filter(e -> e.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue())
                    .filter(e -> !e.getMessage().contains("willReadFrequently")) // this test's own pixel reads, not the page
                    .toList();
            assertThat(errors).as("the browser console").isEmpty();
        } finally {
            browser.quit();
        }
    }

    @Test
    void theChartLibraryIsServedFromTheJarAndNothingElseIs() throws Exception {
        HttpResponse<String> js = get("/dashboard/uPlot.iife.min.js");
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(js.headers().firstValue("Content-Type").orElse("")).startsWith("text/javascript");
        assertThat(js.body()).startsWith("/*! https://github.com/leeoniya/uPlot");
        assertThat(get("/dashboard/uPlot.min.css").headers().firstValue("Content-Type").orElse("")).startsWith("text/css");
        assertThat(get("/dashboard/uPlot-LICENSE.txt").body()).contains("MIT License");
        HttpResponse<String> other = get("/dashboard/index.html.bak");
        assertThat(other.statusCode()).isEqualTo(404);
        assertThat(other.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
        assertThat(get("/dashboard").body()).doesNotContain("http://").doesNotContain("https://").contains("/dashboard/uPlot.iife.min.js");
        assertThat(json(get("/openapi.json")).at("/paths/~1ops~1trends/get").toString()).contains("trends-period-ms").contains("breaker");
    }

    private List<Integer> breakerSeries(String vendor) throws Exception {
        List<Integer> states = new ArrayList<>();
        json(get("/ops/trends")).at("/vendors/" + vendor + "/breaker").forEach(n -> states.add(n.isNull() ? null : n.asInt()));
        return states;
    }

    private static double max(JsonNode series) {
        double m = Double.NEGATIVE_INFINITY;
        for (JsonNode n : series) {
            if (!n.isNull()) {
                m = Math.max(m, n.asDouble());
            }
        }
        return m;
    }

    private static long points(JavascriptExecutor js, String chart) {
        Object n = js.executeScript("const e = document.getElementById('chart-' + arguments[0]); return e && e.dataset.points ? Number(e.dataset.points) : 0;", chart);
        return ((Number) n).longValue();
    }

    /** Pixels of (about) this colour on the chart's canvas. */
    private static long pixels(JavascriptExecutor js, String chart, int r, int g, int b) {
        Object n = js.executeScript("""
                const c = document.querySelector('#chart-' + arguments[0] + ' canvas');
                if (!c) return 0;
                const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
                let n = 0;
                for (let i = 0; i < d.length; i += 4) {
                  if (d[i + 3] > 200 && Math.abs(d[i] - arguments[1]) < 12 && Math.abs(d[i + 1] - arguments[2]) < 12
                      && Math.abs(d[i + 2] - arguments[3]) < 12) n++;
                }
                return n;""", chart, r, g, b);
        return ((Number) n).longValue();
    }

    private static String text(JavascriptExecutor js, String css) {
        Object t = js.executeScript("const e = document.querySelector(arguments[0]); return e ? e.innerText : '';", css);
        return t == null ? "" : t.toString();
    }

    private static void screenshot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(DashboardIT.SHOTS);
        Path shot = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, DashboardIT.SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** DashboardIT's Chromium, with its console kept for the test to read. */
    private static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1300", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        options.setCapability("goog:loggingPrefs", Map.of(LogType.BROWSER, "ALL"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
