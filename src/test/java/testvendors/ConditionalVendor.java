package testvendors;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor that answers conditionally as common web frameworks do (issue 25): every answer carries an ETag that
 * is a hash of that answer's own body (Express's default: per page, not per catalogue) and the catalogue's
 * Last-Modified; a request whose If-None-Match equals the answer's ETag, or whose If-Modified-Since is not before
 * the catalogue's Last-Modified (when it sends no If-None-Match), gets 304. {@code GET <name>/products} pages
 * DummyJSON-style ({@code ?limit=&skip=}, default limit 20) when paged, else answers one bare array.
 * {@code PUT <name>/products/<id>} takes an order (200) for a listed product, 404 otherwise.
 * The catalogue can change while it runs: a product's stock, a product removed.
 */
public class ConditionalVendor implements AutoCloseable {

    /** One catalogue request: its validators and the status it got. */
    public record Seen(String query, String ifNoneMatch, String ifModifiedSince, int status) {
    }

    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final HttpServer server;
    private final String name;
    private final boolean paged;
    private final Map<String, int[]> products = new LinkedHashMap<>(); // id -> {cents, stock}
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final List<String> orders = new CopyOnWriteArrayList<>();
    private volatile Instant lastModified;
    private volatile boolean etags = true;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public ConditionalVendor(String name, int count, boolean paged, Instant lastModified) throws IOException {
        this.name = name;
        this.paged = paged;
        this.lastModified = lastModified;
        for (int i = 1; i <= count; i++) {
            products.put(String.valueOf(i), new int[] {1000 + i * 7, 40 + i});
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/" + name + "/products", this::handle);
        server.start();
    }

    /** From now on answers carry no ETag: Last-Modified alone decides a 304. */
    public ConditionalVendor withoutEtags() {
        etags = false;
        return this;
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/products";
    }

    /** Changes a product's stock; the catalogue's Last-Modified moves to now. */
    public synchronized void stock(String id, int stock) {
        products.get(id)[1] = stock;
        lastModified = Instant.now();
    }

    /** Delists a product; the catalogue's Last-Modified moves to now. */
    public synchronized void remove(String id) {
        products.remove(id);
        lastModified = Instant.now();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    /** The product ids of the orders it took. */
    public List<String> orders() {
        return List.copyOf(orders);
    }

    public static BigDecimal price(String id) {
        return BigDecimal.valueOf(1000 + Integer.parseInt(id) * 7L, 2);
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            String base = "/" + name + "/products";
            if (x.getRequestMethod().equals("PUT") && path.startsWith(base + "/")) {
                String id = path.substring(base.length() + 1);
                boolean listed;
                synchronized (this) {
                    listed = products.containsKey(id);
                }
                if (listed) {
                    orders.add(id);
                }
                send(x, listed ? 200 : 404, listed ? "{\"ok\":true}" : "{\"error\":\"no such product\"}", Map.of());
                return;
            }
            String body;
            Instant modified;
            synchronized (this) {
                body = page(x.getRequestURI().getRawQuery());
                modified = lastModified;
            }
            String etag = "W/\"" + sha1(body) + "\"";
            String lm = HTTP_DATE.format(ZonedDateTime.ofInstant(modified, ZoneOffset.UTC));
            String inm = etags ? x.getRequestHeaders().getFirst("If-None-Match") : null;
            String ims = x.getRequestHeaders().getFirst("If-Modified-Since");
            boolean notModified = inm != null ? inm.equals(etag)
                    : ims != null && !modified.isAfter(ZonedDateTime.parse(ims, HTTP_DATE).toInstant().plusMillis(999));
            seen.add(new Seen(x.getRequestURI().getRawQuery(), x.getRequestHeaders().getFirst("If-None-Match"), ims, notModified ? 304 : 200));
            send(x, notModified ? 304 : 200, notModified ? "" : body, etags ? Map.of("ETag", etag, "Last-Modified", lm) : Map.of("Last-Modified", lm));
        }
    }

    private String page(String query) {
        List<String> all = new ArrayList<>();
        products.forEach((id, p) -> all.add("{\"id\":\"" + id + "\",\"title\":\"Item " + id + "\",\"price\":"
                + BigDecimal.valueOf(p[0], 2).toPlainString() + ",\"stock\":" + p[1] + "}"));
        if (!paged) {
            return "[" + String.join(",", all) + "]";
        }
        int limit = 20;
        int skip = 0;
        if (query != null) {
            for (String kv : query.split("&")) {
                String[] p = kv.split("=", 2);
                if (p[0].equals("limit")) {
                    limit = Integer.parseInt(p[1]);
                } else if (p[0].equals("skip")) {
                    skip = Integer.parseInt(p[1]);
                }
            }
        }
        List<String> page = all.subList(Math.min(skip, all.size()), Math.min(skip + limit, all.size()));
        return "{\"products\":[" + String.join(",", page) + "],\"total\":" + all.size() + ",\"skip\":" + skip + ",\"limit\":" + limit + "}";
    }

    private static void send(HttpExchange x, int status, String body, Map<String, String> headers) throws IOException {
        headers.forEach((k, v) -> x.getResponseHeaders().set(k, v));
        x.getResponseHeaders().set("Content-Type", "application/json");
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(b);
            }
        }
    }

    private static String sha1(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
