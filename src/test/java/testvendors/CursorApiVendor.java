package testvendors;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import testvendors.VendorHttp.Refused;
import testvendors.VendorHttp.Reply;

/**
 * A vendor with a cursor-paged API. {@code GET /v1/catalog/items?limit=N[&cursor=C]} (N 1..100, default 25) answers
 * {@code {"data":{"items":[{"sku":"CUR-0001","label":"…","price_cents":1250,"available":3}]},"meta":{"next_cursor":"<token>"|null}}};
 * next_cursor is null on the page holding the last item (an opaque base64url token otherwise; send it back as is).
 * Expected price = price_cents / 100 (2 decimals). {@code PUT /v1/orders/<order id>} with {@code {"sku":"…","qty":<int>}}
 * answers 200 {@code {"order_ref":"CUR-ORD-<n>"}}; a repeat PUT of the same order id and body answers the same ref (200),
 * one with a different body 409; 422 if malformed. Every request needs {@code Authorization: Bearer <token>} (401 otherwise).
 * Own process: {@code java -cp <test-classes> testvendors.CursorApiVendor <port> <products> <latencyMs> <token>}.
 */
public class CursorApiVendor extends StyledVendor {

    private record Placed(String sku, int qty, String ref) {
    }

    private final String authorization;
    private final List<Product> expected = new ArrayList<>();
    private final List<String> json = new ArrayList<>();
    private final Map<String, Integer> indexBySku = new HashMap<>();
    private final Map<String, Placed> placed = new ConcurrentHashMap<>();
    private final AtomicInteger refs = new AtomicInteger();

    public CursorApiVendor(int port, int products, long latencyMillis, String token) throws IOException {
        super(port, latencyMillis);
        this.authorization = "Bearer " + token;
        for (int i = 1; i <= products; i++) {
            String sku = String.format("CUR-%04d", i);
            int cents = VendorHttp.cents(i, 3);
            Product p = new Product(sku, VendorHttp.name("Lamp", i), VendorHttp.price(cents), VendorHttp.stock(i, 3));
            indexBySku.put(sku, i - 1);
            expected.add(p);
            json.add("{\"sku\":\"" + sku + "\",\"label\":" + VendorHttp.quote(p.name()) + ",\"price_cents\":" + cents + ",\"available\":"
                    + p.stock() + "}");
        }
        route("GET", "/v1/catalog/items", Kind.CATALOGUE, this::items);
        route("PUT", "/v1/orders/[^/]+", Kind.ORDER, this::order);
        start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: CursorApiVendor <port> <products> <latencyMs> <token>");
            System.exit(2);
        }
        CursorApiVendor v = new CursorApiVendor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3]);
        System.out.println("vendor CursorApiVendor at " + v.baseUrl());
    }

    @Override
    public List<Product> expectedProducts() {
        return List.copyOf(expected);
    }

    private Reply items(HttpExchange x, String body) {
        Map<String, String> q = VendorHttp.query(x.getRequestURI());
        int limit = VendorHttp.intParam(q, "limit", 25, 1, 100);
        int from = q.containsKey("cursor") ? after(q.get("cursor")) : 0;
        int to = Math.min(json.size(), from + limit);
        StringBuilder out = new StringBuilder("{\"data\":{\"items\":[");
        for (int i = from; i < to; i++) {
            out.append(i > from ? "," : "").append(json.get(i));
        }
        String next = to < json.size() ? "\"" + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("after:" + expected.get(to - 1).id()).getBytes(StandardCharsets.UTF_8)) + "\"" : "null";
        return Reply.json(200, out.append("]},\"meta\":{\"next_cursor\":").append(next).append("}}").toString());
    }

    /** The index of the first item after the cursor's. */
    private int after(String cursor) {
        try {
            String s = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            Integer i = s.startsWith("after:") ? indexBySku.get(s.substring(6)) : null;
            if (i != null) {
                return i + 1;
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new Refused(400, "invalid cursor");
    }

    private Reply order(HttpExchange x, String body) {
        String path = x.getRequestURI().getRawPath();
        String orderId = URLDecoder.decode(path.substring(path.lastIndexOf('/') + 1), StandardCharsets.UTF_8);
        Map<String, Object> order = VendorHttp.jsonBody(x, body);
        String sku = VendorHttp.text(order.get("sku"), "sku");
        if (!indexBySku.containsKey(sku)) {
            throw new IllegalArgumentException("unknown sku " + sku);
        }
        int qty = VendorHttp.positive(order.get("qty"), "qty");
        Placed p = placed.computeIfAbsent(orderId, k -> new Placed(sku, qty, "CUR-ORD-" + refs.incrementAndGet()));
        if (!p.sku().equals(sku) || p.qty() != qty) {
            return error(409, "order " + orderId + " exists with another body");
        }
        return Reply.json(200, "{\"order_ref\":\"" + p.ref() + "\"}");
    }

    @Override
    boolean authorized(Headers headers) {
        return authorization.equals(headers.getFirst("Authorization"));
    }

    @Override
    Reply error(int status, String message) {
        return Reply.json(status, "{\"error\":{\"status\":" + status + ",\"message\":" + VendorHttp.quote(message) + "}}");
    }

    @Override
    Reply unauthorized() {
        return error(401, "invalid or missing bearer token").with("WWW-Authenticate", "Bearer");
    }

    @Override
    int invalidStatus() {
        return 422;
    }
}
