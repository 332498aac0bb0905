package dev.aggregator.testsupport;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The local PostgreSQL and RabbitMQ, as tests use them: each test class gets its own database and
 * vhost, created here and dropped afterwards, so runs never see each other's data.
 */
public final class TestServices {

    public static final String PG = "127.0.0.1:5432";
    public static final String ADMIN_JDBC = "jdbc:postgresql://" + PG + "/postgres";

    private TestServices() {
    }

    public static String uniqueName(String prefix) {
        return (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10)).toLowerCase(Locale.ROOT);
    }

    public static void createDatabase(String name) {
        sql("CREATE DATABASE " + name);
    }

    public static void dropDatabase(String name) {
        sql("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    public static void sql(String statement) {
        try (Connection c = DriverManager.getConnection(ADMIN_JDBC, "postgres", null); Statement s = c.createStatement()) {
            s.execute(statement);
        } catch (SQLException e) {
            throw new IllegalStateException(statement + ": " + e.getMessage(), e);
        }
    }

    public static String jdbcUrl(String database) {
        return "jdbc:postgresql://" + PG + "/" + database;
    }

    public static void createVhost(String vhost) {
        rabbitmqctl("add_vhost", vhost);
        rabbitmqctl("set_permissions", "-p", vhost, "guest", ".*", ".*", ".*");
    }

    public static void deleteVhost(String vhost) {
        rabbitmqctl("delete_vhost", vhost);
    }

    public static String amqpUri(String vhost) {
        return "amqp://guest:guest@127.0.0.1:5672/" + vhost;
    }

    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String rabbitmqctl(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("rabbitmqctl");
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    public static String run(List<String> cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException(cmd + " timed out");
            }
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.exitValue() != 0) {
                throw new IllegalStateException(cmd + " failed (" + p.exitValue() + "): " + out);
            }
            return out;
        } catch (IOException e) {
            throw new IllegalStateException(cmd + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
