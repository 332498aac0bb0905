package testvendors;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor outside the service under test (its own HTTP server, so it survives when an instance is killed,
 * and answers with a real vendor's latency): a paged catalogue and order PUTs, recording every poll (with
 * the polling instance's User-Agent), every PUT per Idempotency-Key and each PUT's arrival time. Its mode
 * can be switched to answer 503 to every PUT, to hang, or to ask for pauses (Retry-After) and count the PUTs
 * that come sooner than it asked. {@link #main} runs it as a process of its own
 * (bench/run.sh): {@code java -cp target/test-classes testvendors.CountingVendor <port> <name> <products> <latencyMs>},
 * with {@code POST /control?mode=ok|fail|hang} and {@code GET /stats}.
 */
public class CountingVendor implements AutoCloseable {

    /** One first-page GET: when, and which instance asked. */
    public record Poll(long nanos, String agent) {
    }

    private final HttpServer server;
    private volatile int products;
    private final List<Poll> polls = new CopyOnWriteArrayList<>();
    private final Map<String, AtomicInteger> putsByKey = new ConcurrentHashMap<>();

    private final long putLatencyMillis;
    private final String name;
    private final List<Long> putTimes = new CopyOnWriteArrayList<>();
    private volatile Mode mode = Mode.OK;

    /**
     * OK: answer each PUT after the latency; FAIL: 503 at once; HANG: answer only after HANG_MILLIS;
     * REDIRECT: a 3xx with a Location at once (see {@link #redirect});
     * REFUSE_FIRST: the first PUT of each key is refused (409) after the latency, later ones accepted
     * after twice the latency (two copies of one order in flight, the first refused, the second accepted);
     * RETRY_AFTER: like OK, but now and then it asks for a pause (see {@link #retryAfter}).
     */
    public enum Mode { OK, FAIL, HANG, REFUSE_FIRST, REDIRECT, RETRY_AFTER }

    /**
     * One pause this vendor asked for: the answer's status and Retry-After, the Idempotency-Key of the PUT
     * that got it, when the answer left and the instant it names.
     */
    public record Pause(int status, String retryAfter, String key, java.time.Instant askedAt, java.time.Instant until) {
    }

    /**
     * A request still on its way when a pause was asked for (sent before the client had read the answer) is
     * not early: one arriving this soon after the answer left is counted as crossing instead. No vendor can
     * tell the two apart, so this is a guess at the client's reaction, with room: on one machine the lane saw
     * a pause 10 to 15 ms after the answer left, up to 190 ms the first time (a cold path in a busy JVM). The
     * lane before issue 24 went on calling through a whole pause and retried the paused order 500 ms after it.
     * The PUT that got the ask cannot cross it: its order's next PUT is checked exactly (see the IT).
     */
    public static final long CROSSING_MILLIS = 250;

    private int pauseEvery;
    private int pauseSeconds;
    private int pausesLeft;
    private int sincePause;
    private volatile Pause asked;
    private final List<Pause> pauses = new CopyOnWriteArrayList<>();
    private final AtomicInteger earlyRequests = new AtomicInteger();
    private final AtomicInteger crossingRequests = new AtomicInteger();
    private final List<String> early = new CopyOnWriteArrayList<>();
    private final Map<String, List<java.time.Instant>> arrivalsByKey = new ConcurrentHashMap<>();

    /**
     * RETRY_AFTER: every {@code every}-th PUT (counting those that arrive outside a pause) is answered with a
     * pause of {@code seconds}, {@code times} times in all: 429 and 503 in turn, the second one's Retry-After
     * an HTTP date (IMF-fixdate, the whole second at or after the pause's end), the others delta-seconds. A PUT
     * that arrives before the instant last asked for is answered 429 with the rest of the pause and counted:
     * {@link #earlyRequests()}, or {@link #crossingRequests()} if it arrived within CROSSING_MILLIS of the ask.
     */
    public synchronized void retryAfter(int every, int seconds, int times) {
        this.pauseEvery = every;
        this.pauseSeconds = seconds;
        this.pausesLeft = times;
        this.sincePause = 0;
        this.mode = Mode.RETRY_AFTER;
    }

    /** PUTs that arrived before the instant this vendor last asked for (not counting those crossing the ask). */
    public int earlyRequests() {
        return earlyRequests.get();
    }

    /** Each early PUT: its Idempotency-Key, when it arrived and the pause it broke. */
    public List<String> early() {
        return List.copyOf(early);
    }

    /** PUTs that arrived during a pause but within CROSSING_MILLIS of its ask: already on their way. */
    public int crossingRequests() {
        return crossingRequests.get();
    }

    /** When each PUT with this Idempotency-Key arrived, in order. */
    public List<java.time.Instant> arrivals(String key) {
        return List.copyOf(arrivalsByKey.getOrDefault(key, List.of()));
    }

    /** The pauses asked for so far, in order. */
    public List<Pause> pauses() {
        return List.copyOf(pauses);
    }

    private volatile int redirectStatus = 302;

    /** REDIRECT: every PUT is answered with this status and a Location on https with the request's path and query. */
    public void redirect(int status) {
        this.redirectStatus = status;
        this.mode = Mode.REDIRECT;
    }

    private final Map<String, AtomicInteger> seenByKey = new ConcurrentHashMap<>();

    public static final long HANG_MILLIS = 15_000;

    static {
        // Without it the JDK's server delays small answers (Nagle): a "100 ms" PUT took ~145 ms.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    /** putLatencyMillis: how long each order PUT takes, so orders are really in flight when an instance dies. */
    public CountingVendor(int products, long putLatencyMillis) throws IOException {
        this(0, "tv", products, putLatencyMillis);
    }

    public CountingVendor(int port, String name, int products, long putLatencyMillis) throws IOException {
        this.products = products;
        this.putLatencyMillis = putLatencyMillis;
        this.name = name;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1000);
        // Thread per request: a hanging vendor holds many calls open at once, as a real one would.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/" + name + "/products", this::handle);
        server.createContext("/control", this::control);
        server.createContext("/stats", this::stats);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        CountingVendor v = new CountingVendor(Integer.parseInt(args[0]), args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]));
        System.out.println("vendor " + args[1] + " at " + v.url());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/products";
    }

    /** How many products the catalogue lists from now on (ids 1..n). */
    public void products(int n) {
        this.products = n;
    }

    public void mode(Mode mode) {
        this.mode = mode;
    }

    /** System.nanoTime() of each PUT's arrival, whatever its answer. */
    public List<Long> putTimes() {
        return List.copyOf(putTimes);
    }

    /** The most PUTs that arrived in any window of this length. */
    public int busiestWindow(java.time.Duration window) {
        List<Long> times = new java.util.ArrayList<>(putTimes);
        java.util.Collections.sort(times);
        int best = 0;
        for (int i = 0, j = 0; j < times.size(); j++) {
            while (times.get(j) - times.get(i) >= window.toNanos()) {
                i++;
            }
            best = Math.max(best, j - i + 1);
        }
        return best;
    }

    private void control(HttpExchange x) throws IOException {
        try (x) {
            String m = VendorHttp.query(x.getRequestURI()).getOrDefault("mode", "ok");
            mode(Mode.valueOf(m.toUpperCase(java.util.Locale.ROOT)));
            answer(x, 200, "{\"mode\":\"" + mode + "\"}");
        }
    }

    private void stats(HttpExchange x) throws IOException {
        try (x) {
            long repeated = putsByKey.values().stream().filter(n -> n.get() > 1).count();
            answer(x, 200, "{\"puts\":" + putTimes.size() + ",\"keys\":" + putsByKey.size() + ",\"repeatedKeys\":" + repeated
                    + ",\"busiest5s\":" + busiestWindow(java.time.Duration.ofSeconds(5)) + ",\"mode\":\"" + mode + "\"}");
        }
    }

    public List<Poll> polls() {
        return List.copyOf(polls);
    }

    private final Map<String, List<String>> traceparentsByKey = new ConcurrentHashMap<>();
    private final List<String> pollTraceparents = new CopyOnWriteArrayList<>();

    /** The W3C traceparent header of each PUT with this Idempotency-Key, in order ("" for none). */
    public List<String> traceparents(String key) {
        return List.copyOf(traceparentsByKey.getOrDefault(key, List.of()));
    }

    /** The traceparent header of each catalogue GET ("" for none). */
    public List<String> pollTraceparents() {
        return List.copyOf(pollTraceparents);
    }

    public Map<String, AtomicInteger> putsByKey() {
        return putsByKey;
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            if ("GET".equals(x.getRequestMethod())) {
                Map<String, String> q = VendorHttp.query(x.getRequestURI());
                int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
                int limit = Integer.parseInt(q.getOrDefault("limit", "25"));
                String getTrace = x.getRequestHeaders().getFirst("traceparent");
                pollTraceparents.add(getTrace == null ? "" : getTrace);
                if (skip == 0) {
                    polls.add(new Poll(System.nanoTime(), x.getRequestHeaders().getFirst("User-Agent")));
                }
                StringBuilder body = new StringBuilder("{\"products\":[");
                for (int i = skip; i < Math.min(products, skip + limit); i++) {
                    body.append(i > skip ? "," : "").append("{\"id\":").append(i + 1)
                            .append(",\"title\":\"Item ").append(i + 1).append("\",\"price\":1.5,\"stock\":100000}");
                }
                body.append("],\"total\":").append(products).append(",\"skip\":").append(skip).append(",\"limit\":").append(limit).append('}');
                answer(x, 200, body.toString());
            } else if ("PUT".equals(x.getRequestMethod())) {
                putTimes.add(System.nanoTime());
                java.time.Instant arrived = java.time.Instant.now();
                String key = x.getRequestHeaders().getFirst("Idempotency-Key");
                if (key != null) {
                    String trace = x.getRequestHeaders().getFirst("traceparent");
                    traceparentsByKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(trace == null ? "" : trace);
                    arrivalsByKey.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>()).add(arrived);
                }
                x.getRequestBody().readAllBytes();
                Mode now = mode;
                if (now == Mode.FAIL) {
                    answer(x, 503, "{\"error\":\"vendor down\"}");
                    return;
                }
                if (now == Mode.REDIRECT) {
                    // as a vendor moving to HTTPS would: the same path and query (an API key too) elsewhere
                    x.getResponseHeaders().set("Location", "https://127.0.0.1:1" + x.getRequestURI());
                    answer(x, redirectStatus, "{\"moved\":true}");
                    return;
                }
                if (now == Mode.RETRY_AFTER && pauseOrEarly(x, key, arrived)) {
                    return;
                }
                if (now == Mode.HANG) {
                    java.util.concurrent.locks.LockSupport.parkNanos(HANG_MILLIS * 1_000_000L);
                }
                if (now == Mode.REFUSE_FIRST && key != null) {
                    boolean first = seenByKey.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement() == 0;
                    java.util.concurrent.locks.LockSupport.parkNanos((first ? 1 : 2) * putLatencyMillis * 1_000_000L);
                    if (first) {
                        answer(x, 409, "{\"error\":\"refused\"}");
                        return;
                    }
                    putsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                    answer(x, 200, "{\"status\":\"CONFIRMED\"}");
                    return;
                }
                if (key == null) {
                    answer(x, 400, "{\"error\":\"Idempotency-Key required\"}");
                    return;
                }
                java.util.concurrent.locks.LockSupport.parkNanos(putLatencyMillis * 1_000_000L);
                putsByKey.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
                answer(x, 200, "{\"status\":\"CONFIRMED\"}");
            } else {
                answer(x, 405, "{}");
            }
        }
    }

    /**
     * RETRY_AFTER: answers a PUT that arrived during a pause (429, the rest of it) or the one chosen to ask for
     * the next pause; false when the PUT is to be handled as usual. The pause is in force before its answer
     * leaves, so a PUT that arrives after that can only be early.
     */
    private boolean pauseOrEarly(HttpExchange x, String key, java.time.Instant arrived) throws IOException {
        int status;
        String retryAfter;
        synchronized (this) {
            Pause current = asked;
            if (current != null && arrived.isBefore(current.until())) {
                if (arrived.isAfter(current.askedAt().plusMillis(CROSSING_MILLIS))) {
                    earlyRequests.incrementAndGet();
                    early.add(key + " arrived " + arrived + ", " + java.time.Duration.between(current.askedAt(), arrived).toMillis()
                            + " ms after the ask for " + current);
                } else {
                    crossingRequests.incrementAndGet();
                }
                status = 429;
                retryAfter = String.valueOf((java.time.Duration.between(arrived, current.until()).toMillis() + 999) / 1000);
            } else if (pausesLeft > 0 && ++sincePause >= pauseEvery) {
                sincePause = 0;
                pausesLeft--;
                status = pauses.size() % 2 == 0 ? 429 : 503;
                java.time.Instant at = java.time.Instant.now();
                java.time.Instant until;
                if (pauses.size() == 1) {
                    // an HTTP date names whole seconds: the first one at or after the pause's end
                    java.time.Instant end = at.plusSeconds(pauseSeconds);
                    until = end.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
                    until = until.isBefore(end) ? until.plusSeconds(1) : until;
                    retryAfter = java.time.format.DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", java.util.Locale.US)
                            .format(until.atOffset(java.time.ZoneOffset.UTC));
                } else {
                    until = at.plusSeconds(pauseSeconds);
                    retryAfter = String.valueOf(pauseSeconds);
                }
                asked = new Pause(status, retryAfter, key, at, until);
                pauses.add(asked);
            } else {
                return false;
            }
        }
        x.getResponseHeaders().set("Retry-After", retryAfter);
        answer(x, status, "{\"error\":\"slow down\"}");
        return true;
    }

    private static void answer(HttpExchange x, int status, String body) throws IOException {
        VendorHttp.json(x, status, body);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
