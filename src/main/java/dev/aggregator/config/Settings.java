package dev.aggregator.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The contract's settings, parsed and checked once at start-up so that a bad value stops the service
 * with one line naming the setting, instead of failing later somewhere deep in a route.
 * Plain Java on purpose: it is unit-tested without Camel.
 */
public final class Settings {

    private static final Pattern PERIOD = Pattern.compile("(\\d+)\\s*(ms|s|m|h)");
    private static final Pattern VENDOR_URL = Pattern.compile("VENDOR_URL_(\\d+)");
    private static final Pattern VENDOR_NAME_IN_URL = Pattern.compile(".*/([^/]+)/products/?$");
    private static final Pattern HEADER_NAME = Pattern.compile("[A-Za-z0-9!#$%&'*+.^_`|~-]+");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");

    private final int port;
    private final Database database;
    private final String rabbitUri;
    private final String rabbitAddress;
    private final List<VendorConfig> vendors;
    private final long pollPeriodMillis;
    private final double vendorRateLimit;
    private final boolean demoVendors;
    private final String adminToken;
    private final Webhooks webhooks;

    /**
     * Status webhooks: where every order event goes (url, null = nowhere), the key that signs them, and the hosts
     * a POST /order's callbackUrl may name (none: callbackUrl is refused). Signing is not optional: with a
     * receiver or an allowed host, a secret is required.
     */
    public record Webhooks(URI url, String secret, List<String> allowedHosts) {
        public static final Webhooks NONE = new Webhooks(null, null, List.of());

        public boolean enabled() {
            return url != null || !allowedHosts.isEmpty();
        }

        /** Whether a callbackUrl's host is listed: exactly, or under a "*.example.com" entry. Case-insensitive. */
        public boolean allows(String host) {
            if (host == null || host.isEmpty()) {
                return false;
            }
            String h = host.toLowerCase(Locale.ROOT);
            return allowedHosts.stream().anyMatch(a -> a.startsWith("*.") ? h.endsWith(a.substring(1)) : h.equals(a));
        }

        @Override
        public String toString() {
            return "Webhooks[" + url + ", allowedHosts=" + allowedHosts + "]";
        }
    }

    /** A JDBC URL with the credentials split out (Hikari takes them apart), and the address for log lines. */
    public record Database(String jdbcUrl, String user, String password, String address) {
        @Override
        public String toString() {
            return "Database[" + jdbcUrl + ", user=" + user + "]";
        }
    }

    private Settings(Map<String, String> values) {
        // Every default is in application.properties (the contract's table): none here.
        this.port = parsePort(required(values, "PORT"));
        this.database = parseDatabase(required(values, "DB_URI"));
        this.rabbitUri = required(values, "RABBITMQ_URI");
        this.rabbitAddress = parseRabbitAddress(rabbitUri);
        this.pollPeriodMillis = parsePeriod("VENDOR_POLL_PERIOD", required(values, "VENDOR_POLL_PERIOD"));
        this.vendorRateLimit = parseRate(required(values, "VENDOR_RATE_LIMIT"));
        this.demoVendors = parseBoolean("DEMO_VENDORS", required(values, "DEMO_VENDORS"));
        this.vendors = parseVendors(values, port, demoVendors);
        this.adminToken = values.get("ADMIN_TOKEN");
        this.webhooks = parseWebhooks(values);
    }

    static Webhooks parseWebhooks(Map<String, String> values) {
        String rawUrl = values.get("WEBHOOK_URL");
        URI url = rawUrl == null || rawUrl.isBlank() ? null : parseVendorUrl("WEBHOOK_URL", rawUrl);
        String rawHosts = values.get("WEBHOOK_ALLOWED_HOSTS");
        List<String> hosts = new ArrayList<>();
        if (rawHosts != null) {
            for (String h : rawHosts.split(",")) {
                String host = h.trim().toLowerCase(Locale.ROOT);
                if (host.isEmpty()) {
                    continue;
                }
                if (!host.matches("(\\*\\.)?[a-z0-9]([a-z0-9.-]*[a-z0-9])?")) {
                    throw new SettingsException("WEBHOOK_ALLOWED_HOSTS", "'" + h.trim() + "' is not a host name (e.g. hooks.example.com, *.example.com)");
                }
                hosts.add(host);
            }
        }
        String secret = values.get("WEBHOOK_SECRET");
        secret = secret == null || secret.isBlank() ? null : secret;
        if ((url != null || !hosts.isEmpty()) && secret == null) {
            throw new SettingsException("WEBHOOK_SECRET", "is empty; webhooks are signed with it, so it must be set when WEBHOOK_URL or WEBHOOK_ALLOWED_HOSTS is");
        }
        return url == null && hosts.isEmpty() ? Webhooks.NONE : new Webhooks(url, secret, List.copyOf(hosts));
    }

    /** Parses the given settings (already merged: file, then environment on top). */
    public static Settings from(Map<String, String> values) {
        return new Settings(values);
    }

    public int port() { return port; }
    public Database database() { return database; }
    public String rabbitUri() { return rabbitUri; }
    /** host:port/vhost of the broker, without credentials: safe for log lines. */
    public String rabbitAddress() { return rabbitAddress; }
    public List<VendorConfig> vendors() { return vendors; }
    public long pollPeriodMillis() { return pollPeriodMillis; }
    public double vendorRateLimit() { return vendorRateLimit; }
    public boolean demoVendors() { return demoVendors; }
    /** Bearer token for /admin/**; null when unset (the admin API then refuses everything). */
    public String adminToken() { return adminToken == null || adminToken.isBlank() ? null : adminToken; }
    /** Status webhooks (WEBHOOK_URL, WEBHOOK_SECRET, WEBHOOK_ALLOWED_HOSTS); Webhooks.NONE when unset. */
    public Webhooks webhooks() { return webhooks; }

    private static String required(Map<String, String> values, String key) {
        String v = values.get(key);
        if (v == null || v.isBlank()) {
            throw new SettingsException(key, "is empty; it must be set");
        }
        return v.trim();
    }

    static int parsePort(String raw) {
        try {
            int p = Integer.parseInt(raw.trim());
            if (p < 1 || p > 65535) {
                throw new SettingsException("PORT", "'" + raw + "' is out of range 1-65535");
            }
            return p;
        } catch (NumberFormatException e) {
            throw new SettingsException("PORT", "'" + raw + "' is not a port number");
        }
    }

    /** "500ms", "2s", "1m", "1h" (a bare number is read as milliseconds, as Camel's timer does). */
    public static long parsePeriod(String key, String raw) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (v.matches("\\d+")) {
            return checkPositive(key, raw, Long.parseLong(v));
        }
        Matcher m = PERIOD.matcher(v);
        if (!m.matches()) {
            throw new SettingsException(key, "'" + raw + "' is not a period; use a number with ms, s, m or h, e.g. 500ms, 2s, 1m");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
        return checkPositive(key, raw, d.toMillis());
    }

    private static long checkPositive(String key, String raw, long millis) {
        if (millis <= 0) {
            throw new SettingsException(key, "'" + raw + "' must be longer than zero");
        }
        return millis;
    }

    static double parseRate(String raw) {
        return parseRate("VENDOR_RATE_LIMIT", raw);
    }

    public static double parseRate(String key, String raw) {
        try {
            double r = Double.parseDouble(raw.trim());
            if (!(r > 0) || Double.isInfinite(r)) {
                throw new SettingsException(key, "'" + raw + "' must be a positive number of requests per second");
            }
            return r;
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "'" + raw + "' is not a number of requests per second");
        }
    }

    /** A vendor's most calls in flight: a whole number from 1 to 1000. */
    public static int parseConcurrency(String key, String raw) {
        try {
            int n = Integer.parseInt(raw.trim());
            if (n < 1 || n > 1000) {
                throw new SettingsException(key, "'" + raw + "' must be between 1 and 1000 calls in flight");
            }
            return n;
        } catch (NumberFormatException e) {
            throw new SettingsException(key, "'" + raw + "' is not a whole number of calls in flight");
        }
    }

    static boolean parseBoolean(String key, String raw) {
        return switch (raw.trim().toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1", "on" -> true;
            case "false", "no", "0", "off" -> false;
            default -> throw new SettingsException(key, "'" + raw + "' is not true or false");
        };
    }

    /** Accepts the seed's postgres://user:password@host:port/db form, and jdbc:postgresql: URLs as they are. */
    static Database parseDatabase(String raw) {
        if (raw.startsWith("jdbc:postgresql:")) {
            String rest = raw.substring("jdbc:".length());
            URI uri = uri("DB_URI", rest);
            String address = (uri.getHost() == null ? "localhost" : uri.getHost()) + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort())
                    + (uri.getPath() == null ? "" : uri.getPath());
            return new Database(raw, null, null, address);
        }
        URI uri = uri("DB_URI", raw);
        String scheme = uri.getScheme();
        if (!"postgres".equals(scheme) && !"postgresql".equals(scheme)) {
            throw new SettingsException("DB_URI", "scheme '" + scheme + "' is not supported; use postgres://user:password@host:port/dbname or jdbc:postgresql://…");
        }
        if (uri.getHost() == null) {
            throw new SettingsException("DB_URI", "has no host; use postgres://user:password@host:port/dbname");
        }
        String path = uri.getRawPath();
        if (path == null || path.length() < 2) {
            throw new SettingsException("DB_URI", "names no database; use postgres://user:password@host:port/dbname");
        }
        String db = path.substring(1);
        int port = uri.getPort() < 0 ? 5432 : uri.getPort();
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        String jdbc = "jdbc:postgresql://" + uri.getHost() + ":" + port + "/" + db
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        return new Database(jdbc, user, password, uri.getHost() + ":" + port + "/" + decode(db));
    }

    static String parseRabbitAddress(String raw) {
        URI uri = uri("RABBITMQ_URI", raw);
        if (!"amqp".equals(uri.getScheme()) && !"amqps".equals(uri.getScheme())) {
            throw new SettingsException("RABBITMQ_URI", "scheme '" + uri.getScheme() + "' is not supported; use amqp://user:password@host:port/vhost");
        }
        if (uri.getHost() == null) {
            throw new SettingsException("RABBITMQ_URI", "has no host; use amqp://user:password@host:port/vhost");
        }
        int port = uri.getPort() < 0 ? ("amqps".equals(uri.getScheme()) ? 5671 : 5672) : uri.getPort();
        String vhost = uri.getPath() == null || uri.getPath().length() < 2 ? "/" : uri.getPath().substring(1);
        return uri.getHost() + ":" + port + " vhost " + vhost;
    }

    /**
     * VENDOR_URL_n (any n, in order of n), each with an optional VENDOR_NAME_n; the demo vendors when none and
     * DEMO_VENDORS is true. With DEMO_VENDORS=false and none, no vendor of the environment (the files' alone):
     * two vendors pointing at demo endpoints nobody serves failed every poll (issue 25).
     */
    static List<VendorConfig> parseVendors(Map<String, String> values, int port, boolean demo) {
        Map<Integer, String> urls = new TreeMap<>();
        values.forEach((k, v) -> {
            Matcher m = VENDOR_URL.matcher(k);
            if (m.matches() && v != null && !v.isBlank()) {
                urls.put(Integer.parseInt(m.group(1)), v.trim());
            }
        });
        List<VendorConfig> vendors = new ArrayList<>();
        if (urls.isEmpty() && !demo) {
            return vendors;
        }
        if (urls.isEmpty()) {
            String base = "http://localhost:" + port;
            vendors.add(new VendorConfig("vendorA", base + "/vendorA/products"));
            vendors.add(new VendorConfig("vendorB", base + "/vendorB/products"));
            return vendors;
        }
        for (Map.Entry<Integer, String> e : urls.entrySet()) {
            String key = "VENDOR_URL_" + e.getKey();
            URI uri = parseVendorUrl(key, e.getValue());
            String name = values.get("VENDOR_NAME_" + e.getKey());
            if (name == null || name.isBlank()) {
                name = nameFromUrl(key, uri);
            }
            name = parseVendorName("VENDOR_NAME_" + e.getKey(), name);
            for (VendorConfig other : vendors) {
                if (other.name().equals(name)) {
                    throw new SettingsException(key, "vendor name '" + name + "' is used twice; set VENDOR_NAME_" + e.getKey());
                }
            }
            int n = e.getKey();
            vendors.add(new VendorConfig(name, e.getValue(),
                    optional(values, "VENDOR_RATE_LIMIT_" + n, Settings::parseRate),
                    optional(values, "VENDOR_CONCURRENCY_" + n, Settings::parseConcurrency),
                    optional(values, "VENDOR_TIMEOUT_" + n, Settings::parsePeriod),
                    optional(values, "VENDOR_POLL_PERIOD_" + n, Settings::parsePeriod),
                    values.get("VENDOR_TOKEN_" + n),
                    optional(values, "VENDOR_HEADERS_" + n, Settings::parseHeaders)));
        }
        return vendors;
    }

    /** A vendor's product-list URL: http or https, with a host. The error shows it without password or query values. */
    public static URI parseVendorUrl(String key, String raw) {
        URI uri = uri(key, raw);
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new SettingsException(key, "'" + redact(raw.trim()) + "' is not an http(s) URL (http://host/path or https://…)");
        }
        return uri;
    }

    /** A vendor's name, as orders, queues and route ids use it. */
    public static String parseVendorName(String key, String raw) {
        String name = raw.trim();
        if (!NAME.matcher(name).matches()) {
            throw new SettingsException(key, "'" + name + "' is not a vendor name (letters, digits, '-', '_', '.'; at most 64)");
        }
        return name;
    }

    /**
     * Extra request headers: "Name: value" pairs separated by ';' (e.g. "X-Api-Key: abc; X-Tenant: 7").
     * The error never quotes a value: it may be a key.
     */
    public static Map<String, String> parseHeaders(String key, String raw) {
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (String pair : raw.split(";")) {
            if (pair.isBlank()) {
                continue;
            }
            int colon = pair.indexOf(':');
            String name = colon < 0 ? pair.trim() : pair.substring(0, colon).trim();
            if (colon < 0 || !HEADER_NAME.matcher(name).matches() || pair.substring(colon + 1).isBlank()) {
                throw new SettingsException(key, "expects 'Name: value' pairs separated by ';' (header '"
                        + (HEADER_NAME.matcher(name).matches() ? name : "?") + "' is not one)");
            }
            headers.put(name, pair.substring(colon + 1).trim());
        }
        return headers;
    }

    private static <T> T optional(Map<String, String> values, String key, java.util.function.BiFunction<String, String, T> parse) {
        String raw = values.get(key);
        return raw == null || raw.isBlank() ? null : parse.apply(key, raw);
    }

    /** The seed's URLs end in /<vendor>/products; otherwise the host names the vendor. */
    static String nameFromUrl(String key, URI uri) {
        Matcher m = VENDOR_NAME_IN_URL.matcher(uri.getPath() == null ? "" : uri.getPath());
        if (m.matches()) {
            return m.group(1);
        }
        return uri.getHost();
    }

    private static URI uri(String key, String raw) {
        try {
            return new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw new SettingsException(key, "'" + redact(raw) + "' is not a valid URI (" + e.getReason() + ")");
        }
    }

    /**
     * Hides a password and the query's values in a URI before it is echoed in an error or a log line: a
     * vendor's query string often carries its API key (VendorAccess hides them the same way).
     */
    public static String redact(String raw) {
        return raw.replaceAll("(//[^:/@]+:)[^@]*@", "$1***@").replaceAll("([?&][^=&#?]*)=[^&#]*", "$1=***");
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
