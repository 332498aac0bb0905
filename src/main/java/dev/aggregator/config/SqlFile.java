package dev.aggregator.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** SQL kept in src/main/resources/sql/*.sql (named parameters, never string-spliced), read once. */
public final class SqlFile {

    private static final Map<String, String> CACHE = new ConcurrentHashMap<>();

    private SqlFile() {
    }

    public static String load(String path) {
        return CACHE.computeIfAbsent(path, p -> {
            try (InputStream in = SqlFile.class.getClassLoader().getResourceAsStream(p)) {
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
