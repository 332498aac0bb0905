package testvendors;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor as real ones are: its own HTTP server that refuses requests without the right credentials
 * (bearer token, API-key header, key in the query string, Basic auth), pages its catalogue, may answer
 * conditionally (ETag, 304), and can be made to answer badly (HTML, a JSON error object, truncated JSON).
 * It records every request it got, with the status it answered.
 */
public class GuardedVendor implements AutoCloseable {

    /** One request as the vendor saw it. */
    public record Seen(String method, String path, String query, Map<String, String> headers, int status) {
    }

    public enum Answer { JSON, HTML, ERROR_OBJECT, TRUNCATED }

    private final HttpServer server;
    private final String name;
    private final int pageSize;
    private final List<Predicate<HttpExchange>> gates = new CopyOnWriteArrayList<>();
    private final List<Seen> seen = new CopyOnWriteArrayList<>();
    private final AtomicInteger version = new AtomicInteger(1);
    private volatile int products;
    private volatile boolean etags;
    private volatile Answer answer = Answer.JSON;

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public GuardedVendor(String name, int products, int pageSize) throws IOException {
        this.name = name;
        this.products = products;
        this.pageSize = pageSize;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/" + name + "/products", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/products";
    }

    public String name() {
        return name;
    }

    public GuardedVendor requireBearer(String token) {
        gates.add(x -> ("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization")));
        return this;
    }

    public GuardedVendor requireHeader(String header, String value) {
        gates.add(x -> value.equals(x.getRequestHeaders().getFirst(header)));
        return this;
    }

    public GuardedVendor requireQuery(String param, String value) {
        gates.add(x -> query(x).containsKey(param) && value.equals(query(x).get(param)));
        return this;
    }

    public GuardedVendor requireBasic(String user, String password) {
        String expected = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        gates.add(x -> expected.equals(x.getRequestHeaders().getFirst("Authorization")));
        return this;
    }

    /** Answer with an ETag (the catalogue's version) and 304 to a matching If-None-Match. */
    public GuardedVendor withEtags() {
        etags = true;
        return this;
    }

    public void answer(Answer answer) {
        this.answer = answer;
    }

    /** Every product's price changes (and with it the ETag). */
    public void changePrices() {
        version.incrementAndGet();
    }

    public double price() {
        return 2.5 + version.get();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public List<Seen> seen(String method) {
        return seen.stream().filter(s -> s.method().equals(method)).toList();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            Map<String, String> q = query(x);
            for (Predicate<HttpExchange> gate : gates) {
                if (!gate.test(x)) {
                    send(x, 401, "application/json", "{\"error\":\"unauthorized\"}");
                    return;
                }
            }
            if ("PUT".equals(x.getRequestMethod())) {
                x.getRequestBody().readAllBytes();
                send(x, 200, "application/json", "{\"status\":\"CONFIRMED\"}");
                return;
            }
            String etag = "\"v" + version.get() + "\"";
            int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
            if (etags && skip == 0 && etag.equals(x.getRequestHeaders().getFirst("If-None-Match"))) {
                send(x, 304, null, null);
                return;
            }
            switch (answer) {
                case HTML -> send(x, 200, "text/html; charset=utf-8", "<html><body>Please log in</body></html>");
                case ERROR_OBJECT -> send(x, 200, "application/json", "{\"error\":\"quota exceeded\",\"code\":42}");
                case TRUNCATED -> send(x, 200, "application/json", "{\"products\":[{\"id\":1,\"title\":\"Item 1\",\"pri");
                default -> {
                    int limit = Math.min(pageSize, Integer.parseInt(q.getOrDefault("limit", String.valueOf(pageSize))));
                    StringBuilder body = new StringBuilder("{\"products\":[");
                    for (int i = skip; i < Math.min(products, skip + limit); i++) {
                        body.append(i > skip ? "," : "").append("{\"id\":").append(i + 1).append(",\"title\":\"Item ")
                                .append(i + 1).append("\",\"price\":").append(price()).append(",\"stock\":1000}");
                    }
                    body.append("],\"total\":").append(products).append(",\"skip\":").append(skip)
                            .append(",\"limit\":").append(limit).append('}');
                    if (etags) {
                        x.getResponseHeaders().set("ETag", etag);
                    }
                    send(x, 200, "application/json", body.toString());
                }
            }
        }
    }

    private void send(HttpExchange x, int status, String type, String body) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        x.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        seen.add(new Seen(x.getRequestMethod(), x.getRequestURI().getRawPath(), x.getRequestURI().getRawQuery(), headers, status));
        if (body == null) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static Map<String, String> query(HttpExchange x) {
        return VendorHttp.query(x.getRequestURI());
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
