package testvendors;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import testvendors.VendorHttp.Refused;
import testvendors.VendorHttp.Reply;

/**
 * A vendor no setting fits, added by a hand-written YAML route (routes/vendor-own-route.yaml.sample): every call
 * needs a session opened first, its stock is a pipe-separated text export without a header row, and it answers an
 * order 200 whether it took it or not.
 * <ul>
 * <li>{@code POST /api/session}, form body {@code key=<key>}: 200 text/plain, the session id (valid 60 s); 403
 * for a wrong key.</li>
 * <li>{@code GET /api/stock} with {@code X-Session}: 200 {@code text/plain; charset=utf-8}, comment lines starting
 * with {@code #}, then one line a product: {@code "D-001"|"name"|"EUR 12,50"|"7"} (every field quoted, a quote
 * doubled; prices in euros with a decimal comma).</li>
 * <li>{@code POST /api/purchase} with {@code X-Session}, form body {@code sku=&qty=&ref=}: 200 text/plain
 * {@code ACCEPTED P-<n>}, or 200 {@code REJECTED <why>} for an unknown or discontinued sku or more than its stock.</li>
 * </ul>
 * A call without a valid session is 401. Own process: {@code java -cp <test-classes> testvendors.DepotVendor <port>
 * <products> <latencyMs> <key>}.
 */
public class DepotVendor extends StyledVendor {

    private final String key;
    private final List<Product> expected = new ArrayList<>();
    private final Map<String, Product> bySku = new LinkedHashMap<>();
    private final Map<String, Long> sessions = new ConcurrentHashMap<>();
    private final Set<String> discontinued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger numbers = new AtomicInteger();
    private final AtomicInteger logins = new AtomicInteger();

    public DepotVendor(int port, int products, long latencyMillis, String key) throws IOException {
        super(port, latencyMillis);
        this.key = key;
        for (int i = 1; i <= products; i++) {
            Product p = new Product(String.format("D-%03d", i), VendorHttp.name("Crate", i), VendorHttp.price(VendorHttp.cents(i, 17)),
                    VendorHttp.stock(i, 17));
            expected.add(p);
            bySku.put(p.id(), p);
        }
        route("POST", "/api/session", Kind.CATALOGUE, this::session);
        route("GET", "/api/stock", Kind.CATALOGUE, this::stock);
        route("POST", "/api/purchase", Kind.ORDER, this::purchase);
        start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: DepotVendor <port> <products> <latencyMs> <key>");
            System.exit(2);
        }
        DepotVendor v = new DepotVendor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3]);
        System.out.println("vendor DepotVendor at " + v.baseUrl());
    }

    @Override
    public List<Product> expectedProducts() {
        return List.copyOf(expected);
    }

    /** From now on an order for this sku is answered 200 "REJECTED discontinued". */
    public void discontinue(String sku) {
        discontinued.add(sku);
    }

    /** Sessions opened so far. */
    public int logins() {
        return logins.get();
    }

    private Reply session(HttpExchange x, String body) {
        if (!key.equals(form(body).get("key"))) {
            throw new Refused(403, "wrong key");
        }
        String id = "S-" + Long.toHexString(Double.doubleToLongBits(Math.random()));
        sessions.put(id, System.currentTimeMillis() + 60_000);
        logins.incrementAndGet();
        return Reply.of(200, "text/plain", id);
    }

    private Reply stock(HttpExchange x, String body) {
        requireSession(x.getRequestHeaders());
        StringBuilder out = new StringBuilder("# DEPOT STOCK EXPORT\n# sku|name|price|qty\n");
        for (Product p : expected) {
            out.append(quoted(p.id())).append('|').append(quoted(p.name())).append('|')
                    .append(quoted("EUR " + p.price().toPlainString().replace('.', ','))).append('|').append(quoted(String.valueOf(p.stock())))
                    .append('\n');
        }
        return Reply.of(200, "text/plain; charset=utf-8", out.toString());
    }

    private Reply purchase(HttpExchange x, String body) {
        requireSession(x.getRequestHeaders());
        Map<String, String> order = form(body);
        Product p = bySku.get(order.getOrDefault("sku", ""));
        if (order.getOrDefault("ref", "").isBlank()) {
            throw new IllegalArgumentException("ref is missing");
        }
        int qty;
        try {
            qty = Integer.parseInt(order.getOrDefault("qty", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("qty is not a number");
        }
        String refused = p == null ? "unknown sku" : discontinued.contains(p.id()) ? "discontinued" : qty < 1 || qty > p.stock() ? "not enough stock" : null;
        return Reply.of(200, "text/plain", refused == null ? "ACCEPTED P-" + (1000 + numbers.incrementAndGet()) : "REJECTED " + refused);
    }

    private void requireSession(Headers headers) {
        Long until = sessions.get(String.valueOf(headers.getFirst("X-Session")));
        if (until == null || until < System.currentTimeMillis()) {
            throw new Refused(401, "no session: POST /api/session first");
        }
    }

    private static String quoted(String s) {
        return '"' + s.replace("\"", "\"\"") + '"';
    }

    private static Map<String, String> form(String body) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String pair : body.split("&")) {
            if (!pair.isEmpty()) {
                String[] kv = pair.split("=", 2);
                m.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
            }
        }
        return m;
    }

    @Override
    Reply error(int status, String message) {
        return Reply.of(status, "text/plain", message);
    }
}
