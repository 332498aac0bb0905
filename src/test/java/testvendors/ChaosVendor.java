package testvendors;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor with real stock, for the fault soak (bench/chaos.sh) and the ITs that check nothing is applied
 * twice: a paged catalogue showing each product's CURRENT stock, and order PUTs that take the order's
 * quantity off that stock once per Idempotency-Key (a repeat of a key already applied answers 200 and
 * changes nothing, as a vendor honouring the key would; it is counted). Every PUT is logged (key, product,
 * quantity, the body's orderId, time, status, applied or not). Its own process:
 * {@code java -cp <test-classes> testvendors.ChaosVendor <port> <name> <products> <stockEach> <latencyMs>},
 * with {@code POST /control?mode=ok|fail|hang}, {@code GET /stats} (JSON), and {@code GET /log} and {@code GET /stock}
 * (tab-separated, for psql's \copy).
 * FAIL answers every PUT 503 at once; HANG holds each PUT until the mode changes, then answers as the new
 * mode says (applied and 200 when it is ok again, even if the caller gave up long ago: the vendor got it).
 */
public class ChaosVendor implements AutoCloseable {

    public enum Mode { OK, FAIL, HANG }

    /** One PUT as the vendor saw it. applied: this PUT changed the stock. */
    public record Put(String key, String product, int quantity, String bodyOrderId, long atMillis, int status, boolean applied) {
    }

    private static final Pattern QUANTITY = Pattern.compile("\"quantity\"\\s*:\\s*(\\d+)");
    private static final Pattern ORDER_ID = Pattern.compile("\"orderId\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpServer server;
    private final String name;
    private final int products;
    private final long stockEach;
    private final long latencyMillis;
    private final AtomicLongArray stock;
    private final Map<String, Boolean> appliedKeys = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> repeatsByKey = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Put> log = new ConcurrentLinkedQueue<>();
    private final AtomicLong puts = new AtomicLong();
    private final AtomicLong applied = new AtomicLong();
    private final AtomicLong repeats = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong held = new AtomicLong();
    private final Object modeChanged = new Object();
    private volatile Mode mode = Mode.OK;

    public ChaosVendor(int port, String name, int products, long stockEach, long latencyMillis) throws IOException {
        this.name = name;
        this.products = products;
        this.stockEach = stockEach;
        this.latencyMillis = latencyMillis;
        this.stock = new AtomicLongArray(products);
        for (int i = 0; i < products; i++) {
            stock.set(i, stockEach);
        }
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1000);
        // A thread per request: a hanging vendor holds every call open at once, as a real one would.
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/" + name + "/products", this::products);
        server.createContext("/control", this::control);
        server.createContext("/stats", this::stats);
        server.createContext("/log", this::log);
        server.createContext("/stock", this::stockTable);
        server.start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: ChaosVendor <port> <name> <products> <stockEach> <latencyMs>");
            System.exit(2);
        }
        ChaosVendor v = new ChaosVendor(Integer.parseInt(args[0]), args[1], Integer.parseInt(args[2]), Long.parseLong(args[3]),
                Long.parseLong(args[4]));
        System.out.println("vendor " + args[1] + " at " + v.url());
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + name + "/products";
    }

    public void mode(Mode next) {
        synchronized (modeChanged) {
            mode = next;
            modeChanged.notifyAll();
        }
    }

    /** The product's stock now (ids 1..products). */
    public long stock(int productId) {
        return stock.get(productId - 1);
    }

    public long applied() {
        return applied.get();
    }

    /** PUTs that repeated a key already applied: absorbed by the key, nothing applied twice. */
    public long repeats() {
        return repeats.get();
    }

    public List<Put> puts() {
        return new ArrayList<>(log);
    }

    private void products(HttpExchange x) throws IOException {
        try (x) {
            String method = x.getRequestMethod();
            if ("GET".equals(method)) {
                catalogue(x);
            } else if ("PUT".equals(method)) {
                order(x);
            } else {
                answer(x, 405, "{}");
            }
        }
    }

    private void catalogue(HttpExchange x) throws IOException {
        Map<String, String> q = VendorHttp.query(x.getRequestURI());
        int skip = Integer.parseInt(q.getOrDefault("skip", "0"));
        int limit = Integer.parseInt(q.getOrDefault("limit", "100"));
        StringBuilder body = new StringBuilder("{\"products\":[");
        for (int i = skip; i < Math.min(products, skip + limit); i++) {
            body.append(i > skip ? "," : "").append("{\"id\":").append(i + 1).append(",\"title\":\"Chaos item ").append(i + 1)
                    .append("\",\"price\":2.5,\"stock\":").append(stock.get(i)).append('}');
        }
        body.append("],\"total\":").append(products).append(",\"skip\":").append(skip).append(",\"limit\":").append(limit).append('}');
        answer(x, 200, body.toString());
    }

    private void order(HttpExchange x) throws IOException {
        puts.incrementAndGet();
        String key = x.getRequestHeaders().getFirst("Idempotency-Key");
        String body = new String(x.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String path = x.getRequestURI().getPath();
        String product = path.substring(path.lastIndexOf('/') + 1);
        Matcher qm = QUANTITY.matcher(body);
        Matcher om = ORDER_ID.matcher(body);
        int quantity = qm.find() ? Integer.parseInt(qm.group(1)) : -1;
        String bodyOrderId = om.find() ? om.group(1) : "";
        int index;
        try {
            index = Integer.parseInt(product) - 1;
        } catch (NumberFormatException e) {
            index = -1;
        }
        if (key == null || key.isBlank() || quantity < 1 || index < 0 || index >= products) {
            record(key, product, quantity, bodyOrderId, 400, false);
            answer(x, 400, "{\"error\":\"Idempotency-Key, a known product and a quantity are required\"}");
            return;
        }
        Mode now = awaitNotHanging();
        if (now == Mode.FAIL) {
            failed.incrementAndGet();
            record(key, product, quantity, bodyOrderId, 503, false);
            answer(x, 503, "{\"error\":\"vendor down\"}");
            return;
        }
        if (latencyMillis > 0) {
            java.util.concurrent.locks.LockSupport.parkNanos(latencyMillis * 1_000_000L);
        }
        boolean first = appliedKeys.putIfAbsent(key, Boolean.TRUE) == null;
        if (first) {
            stock.addAndGet(index, -quantity);
            applied.incrementAndGet();
        } else {
            repeats.incrementAndGet();
            repeatsByKey.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
        }
        record(key, product, quantity, bodyOrderId, 200, first);
        answer(x, 200, "{\"status\":\"CONFIRMED\",\"orderId\":\"" + key + "\",\"replayed\":" + !first + "}");
    }

    /** In HANG, holds the caller until the mode changes; returns the mode to answer by. */
    private Mode awaitNotHanging() {
        synchronized (modeChanged) {
            if (mode == Mode.HANG) {
                held.incrementAndGet();
            }
            while (mode == Mode.HANG) {
                try {
                    modeChanged.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Mode.FAIL;
                }
            }
            return mode;
        }
    }

    private void record(String key, String product, int quantity, String bodyOrderId, int status, boolean applied) {
        log.add(new Put(key, product, quantity, bodyOrderId, System.currentTimeMillis(), status, applied));
    }

    private void control(HttpExchange x) throws IOException {
        try (x) {
            String m = VendorHttp.query(x.getRequestURI()).getOrDefault("mode", "ok");
            try {
                mode(Mode.valueOf(m.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                answer(x, 400, "{\"error\":\"mode is ok, fail or hang\"}");
                return;
            }
            answer(x, 200, "{\"mode\":\"" + mode.name().toLowerCase(Locale.ROOT) + "\"}");
        }
    }

    private void stats(HttpExchange x) throws IOException {
        try (x) {
            long total = 0;
            StringBuilder perProduct = new StringBuilder("{");
            for (int i = 0; i < products; i++) {
                long s = stock.get(i);
                total += s;
                perProduct.append(i > 0 ? "," : "").append('"').append(i + 1).append("\":").append(s);
            }
            perProduct.append('}');
            answer(x, 200, "{\"mode\":\"" + mode.name().toLowerCase(Locale.ROOT) + "\",\"puts\":" + puts.get() + ",\"applied\":" + applied.get()
                    + ",\"repeats\":" + repeats.get() + ",\"repeatedKeys\":" + repeatsByKey.size() + ",\"failed\":" + failed.get()
                    + ",\"held\":" + held.get() + ",\"products\":" + products + ",\"stockEach\":" + stockEach
                    + ",\"totalStock\":" + total + ",\"stock\":" + perProduct + "}");
        }
    }

    /** The PUT log: key, product, quantity, body orderId, epoch ms, status, applied (1/0), one line each. */
    private void log(HttpExchange x) throws IOException {
        StringBuilder out = new StringBuilder();
        for (Put p : log) {
            out.append(p.key()).append('\t').append(p.product()).append('\t').append(p.quantity()).append('\t')
                    .append(p.bodyOrderId()).append('\t').append(p.atMillis()).append('\t').append(p.status()).append('\t')
                    .append(p.applied() ? 1 : 0).append('\n');
        }
        table(x, out);
    }

    /** Each product's stock now: id, stock, one line each. */
    private void stockTable(HttpExchange x) throws IOException {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < products; i++) {
            out.append(i + 1).append('\t').append(stock.get(i)).append('\n');
        }
        table(x, out);
    }

    private static void table(HttpExchange x, StringBuilder out) throws IOException {
        try (x) {
            byte[] bytes = out.toString().getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", "text/tab-separated-values");
            x.sendResponseHeaders(200, bytes.length == 0 ? -1 : bytes.length);
            if (bytes.length > 0) {
                try (OutputStream o = x.getResponseBody()) {
                    o.write(bytes);
                }
            }
        }
    }

    private static void answer(HttpExchange x, int status, String body) {
        try {
            VendorHttp.json(x, status, body);
        } catch (IOException e) {
            // the caller gave up (time-out) while we held or worked on its call: what we did stands
        }
    }

    @Override
    public void close() {
        mode(Mode.OK); // let held calls go before the server stops
        server.stop(0);
    }
}
