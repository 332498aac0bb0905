package dev.aggregator.config;

import java.io.File;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import dev.aggregator.Application;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/** A bad setting stops the real start-up (a child JVM) with one line naming the setting, and exit code 2. */
class StartupRefusalIT {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "DB_URI|mysql://root@localhost/shop|DB_URI: scheme 'mysql' is not supported",
            "DB_URI|postgres://user:secret@db host/x|DB_URI: 'postgres://user:***@db host/x' is not a valid URI",
            "RABBITMQ_URI|http://localhost:5672|RABBITMQ_URI: scheme 'http' is not supported",
            "VENDOR_POLL_PERIOD|5 minutes|VENDOR_POLL_PERIOD: '5 minutes' is not a period",
            "VENDOR_RATE_LIMIT|-3|VENDOR_RATE_LIMIT: '-3' must be a positive number",
            "PORT|eighty|PORT: 'eighty' is not a port number",
            "VENDOR_URL_1|ftp://vendor/products|VENDOR_URL_1: 'ftp://vendor/products' is not an http(s) URL"})
    void refusesToStart(String setting, String value, String expected) throws Exception {
        Map<String, String> settings = new HashMap<>(Map.of("PORT", String.valueOf(TestServices.freePort())));
        settings.put(setting, value); // a bad PORT replaces the free one
        assertRefused(settings, expected);
    }

    /** Another process holds PORT: Camel's HTTP server would only log the failed bind and run on without it. */
    @Test
    void refusesAPortInUse() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            int port = taken.getLocalPort();
            assertRefused(Map.of("PORT", String.valueOf(port)), "PORT: " + port + " is already in use by another process");
        }
    }

    private static void assertRefused(Map<String, String> settings, String expected) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(List.of(
                System.getProperty("java.home") + File.separator + "bin" + File.separator + "java",
                "-cp", System.getProperty("java.class.path"), Application.class.getName()));
        pb.environment().putAll(settings);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("start-up ends by itself").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.exitValue()).as(out).isEqualTo(2);
        List<String> errors = out.lines().filter(l -> l.contains("ERROR")).toList();
        assertThat(errors).as(out).hasSize(1);
        assertThat(errors.get(0)).contains("Refusing to start: " + expected);
        assertThat(out).doesNotContain("\tat ").doesNotContain("secret");
    }
}
