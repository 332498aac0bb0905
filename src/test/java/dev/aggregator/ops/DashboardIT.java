package dev.aggregator.ops;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Properties;

import dev.aggregator.config.QueueTopology;
import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.demo.DemoVendor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's story in a real headless Chromium: a failed order shows on the dashboard with live queue
 * counts, the vendor is fixed, Replay is pressed, and the order turns SYNCED. Screenshots go to
 * target/screenshots/.
 */
class DashboardIT extends AggregatorTestSupport {

    static final Path SHOTS = Path.of("target", "screenshots");
    private WebDriver browser;

    @Override
    protected void settings(Properties p) {
        // These tests fail single orders on purpose; the breaker (which would make them wait) is LanesIT's.
        p.setProperty("aggregator.delivery.breaker.window", "1000");
        p.setProperty("aggregator.delivery.breaker.minimum-calls", "1000");
        p.setProperty("ADMIN_TOKEN", "dash-token");
        p.setProperty("aggregator.delivery.backoff-ms", "50");
        // A vendor file that cannot be used: the operator sees it named, with its error.
        try {
            Files.writeString(vendorFiles().resolve("broken.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: vendor-poller
                        parameters:
                          - {name: vendor, value: brokenvendor}
                          - {name: url, value: "broken.example.com/products"}
                    """);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterAll
    void closeBrowser() {
        if (browser != null) {
            browser.quit();
        }
    }

    @Test
    void anOperatorReplaysAFailedOrderFromTheDashboard() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("vendorB") == 55);
        DemoVendor vendorB = context.getRegistry().lookupByNameAndType("demoVendorB", DemoVendor.class);
        vendorB.setFaults(new DemoVendor.Faults(1000, 503, 0, 0));
        String orderId = json(send("POST", "/order", "{\"id\":\"VB-1040\",\"vendor\":\"vendorB\",\"quantity\":1}",
                "Content-Type", "application/json")).get("orderId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get("/orders/" + orderId)).get("status").asText().equals("FAILED"));
        long dlqDepth = rabbit().execute(c -> (long) c.queueDeclarePassive(QueueTopology.TO_EXTERNAL_DLQ).getMessageCount());
        assertThat(dlqDepth).isEqualTo(1);

        browser = chromium();
        browser.get(baseUrl() + "/dashboard");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));

        // Live data: every queue by name, the dead-letter count as the broker has it, the order as FAILED.
        wait.until(d -> text(d, "#queue-sync_to_external_dlq").equals(String.valueOf(dlqDepth)));
        for (String queue : QueueTopology.QUEUES) {
            assertThat(browser.findElement(By.id("queues")).getText()).contains(queue);
        }
        wait.until(d -> text(d, "tr[data-order-id='" + orderId + "'] .status").equals("FAILED"));
        assertThat(text(browser, "#orders-FAILED")).isEqualTo("1");
        assertThat(browser.findElement(By.id("vendors")).getText()).contains("vendorA").contains("vendorB");
        assertThat(browser.findElement(By.id("health")).getText()).isEqualTo("UP");
        wait.until(d -> text(d, "tr[data-file='broken.yaml']").contains("FAILED"));
        assertThat(text(browser, "tr[data-file='broken.yaml']")).contains("is not an http(s) URL");

        browser.findElement(By.id("token")).sendKeys("dash-token");
        browser.findElement(By.id("save-token")).click();
        String row = ".dlq-row[data-order-id='" + orderId + "']";
        wait.until(d -> text(d, row).contains("503"));
        assertThat(text(browser, row + " td:nth-child(4)")).isEqualTo("4");
        screenshot("dashboard-failed-order.png");

        vendorB.setFaults(DemoVendor.Faults.NONE); // the vendor is fixed
        // The page re-renders every 2 s: find the button afresh if a refresh replaced it under us.
        wait.ignoring(StaleElementReferenceException.class)
                .until(d -> {
                    d.findElement(By.cssSelector(row + " button.replay")).click();
                    return true;
                });

        wait.until(d -> text(d, "tr[data-order-id='" + orderId + "'] .status").equals("SYNCED"));
        wait.until(d -> text(d, "#queue-sync_to_external_dlq").equals("0"));
        assertThat(browser.findElements(By.cssSelector(".dlq-row[data-order-id='" + orderId + "']"))).isEmpty();
        assertThat(json(get("/orders/" + orderId)).get("status").asText()).isEqualTo("SYNCED");
        screenshot("dashboard.png");
    }

    /**
     * A CANCELLED order is shown as such, in the recent orders and the counts. The status is written in the
     * database here: a cancel that wins against the 0 ms demo vendor cannot be arranged without a race
     * (CancelIT races real cancels against an outside vendor); this is about what the dashboard shows.
     */
    @Test
    void theDashboardShowsCancelledOrders() throws Exception {
        await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> productCount("vendorA") == 60);
        String orderId = json(send("POST", "/order", "{\"id\":\"2\",\"vendor\":\"vendorA\",\"quantity\":1}",
                "Content-Type", "application/json")).get("orderId").asText();
        await().atMost(Duration.ofSeconds(30)).until(() -> json(get("/orders/" + orderId)).get("status").asText().equals("SYNCED"));
        jdbc().update("UPDATE orders SET status = 'CANCELLED', cancelled_at = now(), updated_at = now() WHERE order_id = ?::uuid", orderId);
        WebDriver page = chromium();
        try {
            page.get(baseUrl() + "/dashboard");
            WebDriverWait wait = new WebDriverWait(page, Duration.ofSeconds(20));
            wait.until(d -> text(d, "tr[data-order-id='" + orderId + "'] .status").equals("CANCELLED"));
            wait.until(d -> text(d, "#orders-CANCELLED").equals("1"));
        } finally {
            page.quit();
        }
    }

    /** Reads an element's text in one step, so a re-render between "find" and "read" cannot bite. */
    private static String text(WebDriver d, String css) {
        Object t = ((JavascriptExecutor) d).executeScript(
                "const e = document.querySelector(arguments[0]); return e ? e.innerText.trim() : '';", css);
        return t == null ? "" : t.toString();
    }

    private void screenshot(String name) throws Exception {
        Files.createDirectories(SHOTS);
        Path shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE).toPath();
        Files.copy(shot, SHOTS.resolve(name), StandardCopyOption.REPLACE_EXISTING);
    }

    /** Debian's Chromium and ChromeDriver (installed by .ci/run), headless, with no calls to the outside. */
    static WebDriver chromium() throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--window-size=1400,1300", "--user-data-dir=" + Files.createTempDirectory("chromium-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File("/usr/bin/chromedriver")).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }
}
