package testvendors;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import testvendors.VendorHttp.Refused;
import testvendors.VendorHttp.Reply;

/**
 * What the five vendor styles (Shopify-, Woo-, cursor-, CSV- and XML-style) share: their own JDK HTTP server
 * (a thread per request), the log of every catalogue and order request with the status it was answered, a
 * forced failure status for orders, Retry-After throttling and the count of requests that came too early.
 * Each request, in order: recorded as arrived; counted early if it arrived before the instant the vendor last
 * told clients to wait until; every n-th answered 429 (when throttling); 401 without the style's credentials;
 * for orders the forced failure status (at once), else the latency, then the style's own answer (a malformed
 * body: 400, or 422 where the real vendor says so; a JSON order without a JSON Content-Type: 415).
 */
public abstract class StyledVendor implements AutoCloseable {

    /** What the service must end up storing for one product (for variant catalogues: one per variant). */
    public record Product(String id, String name, BigDecimal price, int stock) {
    }

    /** One request as the vendor got it: pathAndQuery raw, headers case-insensitive (repeats joined by ","), the status it answered. */
    public record Request(String method, String pathAndQuery, Map<String, String> headers, String body, long nanos, int status) {
    }

    enum Kind { CATALOGUE, ORDER }

    interface Handler {
        Reply answer(HttpExchange x, String body) throws IOException;
    }

    private record Route(String method, Pattern path, Kind kind, Handler handler) {
    }

    static {
        // Without it the JDK's server delays small answers (Nagle).
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool();
    private final long latencyMillis;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Request> orders = new CopyOnWriteArrayList<>();
    private final List<Request> catalogRequests = new CopyOnWriteArrayList<>();
    private final List<Request> otherRequests = new CopyOnWriteArrayList<>();
    private final AtomicLong counted = new AtomicLong();
    private final AtomicInteger early = new AtomicInteger();
    private final AtomicInteger throttled = new AtomicInteger();
    private volatile long waitUntilMillis = Long.MIN_VALUE;
    private volatile int throttleEvery;
    private volatile String retryAfter = "1";
    private volatile int failStatus;
    private volatile String failBody;

    protected StyledVendor(int port, long latencyMillis) throws IOException {
        this.latencyMillis = latencyMillis;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1000);
        server.setExecutor(executor);
        server.createContext("/", this::dispatch);
    }

    /** http://127.0.0.1:PORT (no trailing slash). */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public abstract List<Product> expectedProducts();

    /** Every order request (any status), in arrival order. */
    public List<Request> orders() {
        return List.copyOf(orders);
    }

    /** Every catalogue request (any status), in arrival order. */
    public List<Request> catalogRequests() {
        return List.copyOf(catalogRequests);
    }

    /** Requests to no known path or with the wrong method (answered 404): a misconfigured URL shows here. */
    public List<Request> otherRequests() {
        return List.copyOf(otherRequests);
    }

    /** From now on every order request is answered this status at once (0: answer normally again). */
    public void ordersFail(int status) {
        ordersFail(status, null);
    }

    /** As {@link #ordersFail(int)}, answered with this JSON body instead of the style's error (a refusal naming a reference). */
    public void ordersFail(int status, String jsonBody) {
        this.failBody = jsonBody;
        this.failStatus = status;
    }

    /**
     * From now on every n-th request (catalogue or order, counted from this call) is answered 429 with this
     * Retry-After: whole seconds ("1"), or "date:S" for an HTTP-date S seconds ahead (rounded up to the second)
     * computed when answering; anything else is sent as is and asks no wait. n = 0: no throttling.
     */
    public void throttleEvery(int n, String retryAfter) {
        this.retryAfter = retryAfter == null ? "1" : retryAfter;
        this.counted.set(0);
        this.throttleEvery = n;
    }

    /** Requests that arrived before the instant the vendor last asked clients to wait until. */
    public int earlyRequests() {
        return early.get();
    }

    /** Requests answered 429. */
    public int throttled() {
        return throttled.get();
    }

    void route(String method, String pathRegex, Kind kind, Handler handler) {
        routes.add(new Route(method, Pattern.compile(pathRegex), kind, handler));
    }

    /** Called at the end of the style's constructor, once its routes are in. */
    void start() {
        server.start();
    }

    /** The style's credentials check (default: none needed). */
    boolean authorized(Headers headers) {
        return true;
    }

    /** The style's error answer. */
    Reply error(int status, String message) {
        return Reply.json(status, "{\"error\":" + VendorHttp.quote(message) + "}");
    }

    /** The style's status for a malformed order body. */
    int invalidStatus() {
        return 400;
    }

    Reply unauthorized() {
        return error(401, "unauthorized");
    }

    private void dispatch(HttpExchange x) throws IOException {
        try (x) {
            long nanos = System.nanoTime();
            long arrivedMillis = System.currentTimeMillis();
            String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = x.getRequestURI().getRawPath();
            Route route = routes.stream().filter(r -> r.method.equals(x.getRequestMethod()) && r.path.matcher(path).matches())
                    .findFirst().orElse(null);
            Reply reply = route == null ? error(404, "no " + x.getRequestMethod() + " " + path) : answer(route, x, body, arrivedMillis);
            List<Request> log = route == null ? otherRequests : route.kind == Kind.ORDER ? orders : catalogRequests;
            log.add(new Request(x.getRequestMethod(), x.getRequestURI().toString(), headers(x.getRequestHeaders()), body, nanos,
                    reply.status()));
            VendorHttp.send(x, reply);
        } catch (IOException e) {
            // the caller gave up while we worked on its call
        }
    }

    private Reply answer(Route route, HttpExchange x, String body, long arrivedMillis) throws IOException {
        if (arrivedMillis < waitUntilMillis) {
            early.incrementAndGet();
        }
        int n = throttleEvery;
        if (n > 0 && counted.incrementAndGet() % n == 0) {
            throttled.incrementAndGet();
            return throttle();
        }
        if (!authorized(x.getRequestHeaders())) {
            return unauthorized();
        }
        if (route.kind == Kind.ORDER) {
            int fail = failStatus;
            if (fail != 0) {
                String b = failBody;
                return b != null ? Reply.json(fail, b) : error(fail, "orders fail (" + fail + ")");
            }
            LockSupport.parkNanos(latencyMillis * 1_000_000L);
        }
        try {
            return route.handler.answer(x, body);
        } catch (Refused e) {
            return error(e.status, e.getMessage());
        } catch (IllegalArgumentException e) {
            return error(invalidStatus(), e.getMessage());
        }
    }

    private Reply throttle() {
        String value = retryAfter;
        long now = System.currentTimeMillis();
        try {
            if (value.startsWith("date:")) {
                long until = (now + Long.parseLong(value.substring(5)) * 1000 + 999) / 1000 * 1000;
                waitUntilMillis = until;
                value = VendorHttp.HTTP_DATE.format(Instant.ofEpochMilli(until));
            } else {
                waitUntilMillis = now + Long.parseLong(value.trim()) * 1000;
            }
        } catch (NumberFormatException e) {
            // sent as is: a value the client cannot read
        }
        return error(429, "too many requests").with("Retry-After", value);
    }

    private static Map<String, String> headers(Headers h) {
        Map<String, String> m = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.forEach((k, v) -> m.put(k, String.join(",", v)));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
