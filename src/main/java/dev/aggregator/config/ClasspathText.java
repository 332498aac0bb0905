package dev.aggregator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Text files from the classpath, read once: SQL in sql/*.sql (named parameters, never string-spliced) and the dashboard page. */
public final class ClasspathText {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private ClasspathText() {
    }

    public static String load(String path) {
        return CACHE.computeIfAbsent(path, p -> {
            try (InputStream in = ClasspathText.class.getClassLoader().getResourceAsStream(p)) {
                if (in == null) {
                    throw new IllegalStateException("SQL file " + p + " is missing from the classpath");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
