package testvendors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import testvendors.VendorHttp.Reply;

/**
 * A WooCommerce-like vendor. {@code GET /wp-json/wc/v3/products?page=P&per_page=M} (P from 1; M 1..100, default 10)
 * answers a BARE JSON array {@code [{"id":<int>,"name":"…","price":"9.99","stock_quantity":5}]} with headers
 * {@code X-WP-Total} and {@code X-WP-TotalPages}; a page past the end answers {@code []}. Written as PHP's json_encode
 * writes: non-ASCII as \\uXXXX, '/' as "\/", and a whole price without decimals ("12", expected 12.00).
 * {@code POST /wp-json/wc/v3/orders} with {@code {"line_items":[{"product_id":<int>,"quantity":<int>}],"customer_note":"<order id>"}}
 * answers 201 {@code {"id":<int>,"number":"<id>","status":"processing"}}; 400 if malformed. Every request needs HTTP
 * Basic auth with the user and password given (401 otherwise).
 * Own process: {@code java -cp <test-classes> testvendors.WooStyleVendor <port> <products> <latencyMs> <user> <password>}.
 */
public class WooStyleVendor extends StyledVendor {

    private final String authorization;
    private final List<Product> expected = new ArrayList<>();
    private final List<String> json = new ArrayList<>();
    private final Set<Long> ids = new HashSet<>();
    private final AtomicInteger orderId = new AtomicInteger(700);

    public WooStyleVendor(int port, int products, long latencyMillis, String user, String password) throws IOException {
        super(port, latencyMillis);
        this.authorization = "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        for (int i = 1; i <= products; i++) {
            int id = 200 + i * 3;
            int cents = VendorHttp.cents(i, 7);
            String price = cents % 100 == 0 ? Integer.toString(cents / 100) : VendorHttp.price(cents).toPlainString();
            Product p = new Product(Integer.toString(id), VendorHttp.name("Mug", i), VendorHttp.price(cents), VendorHttp.stock(i, 7));
            expected.add(p);
            ids.add((long) id);
            json.add("{\"id\":" + id + ",\"name\":" + VendorHttp.quote(p.name(), true) + ",\"sku\":\"WOO-" + i + "\",\"price\":\"" + price
                    + "\",\"regular_price\":\"" + price + "\",\"manage_stock\":true,\"stock_quantity\":" + p.stock() + ",\"stock_status\":\""
                    + (p.stock() > 0 ? "instock" : "outofstock") + "\"}");
        }
        route("GET", "/wp-json/wc/v3/products", Kind.CATALOGUE, this::products);
        route("POST", "/wp-json/wc/v3/orders", Kind.ORDER, this::order);
        start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: WooStyleVendor <port> <products> <latencyMs> <user> <password>");
            System.exit(2);
        }
        WooStyleVendor v = new WooStyleVendor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3], args[4]);
        System.out.println("vendor WooStyleVendor at " + v.baseUrl());
    }

    @Override
    public List<Product> expectedProducts() {
        return List.copyOf(expected);
    }

    private Reply products(HttpExchange x, String body) {
        Map<String, String> q = VendorHttp.query(x.getRequestURI());
        int page = VendorHttp.intParam(q, "page", 1, 1, Integer.MAX_VALUE);
        int perPage = VendorHttp.intParam(q, "per_page", 10, 1, 100);
        long from = (long) (page - 1) * perPage;
        StringBuilder out = new StringBuilder("[");
        for (long i = from; i < Math.min(json.size(), from + perPage); i++) {
            out.append(i > from ? "," : "").append(json.get((int) i));
        }
        int pages = (json.size() + perPage - 1) / perPage;
        return Reply.json(200, out.append(']').toString()).with("X-WP-Total", Integer.toString(json.size()))
                .with("X-WP-TotalPages", Integer.toString(pages));
    }

    private Reply order(HttpExchange x, String body) {
        Map<String, Object> order = VendorHttp.jsonBody(x, body);
        for (Object line : VendorHttp.list(order.get("line_items"), "line_items")) {
            Map<String, Object> item = VendorHttp.object(line, "line_items[]");
            long productId = VendorHttp.whole(item.get("product_id"), "line_items[].product_id");
            if (!ids.contains(productId)) {
                throw new IllegalArgumentException("Invalid product ID " + productId);
            }
            VendorHttp.positive(item.get("quantity"), "line_items[].quantity");
        }
        VendorHttp.text(order.get("customer_note"), "customer_note");
        int id = orderId.incrementAndGet();
        return Reply.json(201, "{\"id\":" + id + ",\"number\":\"" + id + "\",\"status\":\"processing\"}");
    }

    @Override
    boolean authorized(Headers headers) {
        return authorization.equals(headers.getFirst("Authorization"));
    }

    @Override
    Reply error(int status, String message) {
        String code = switch (status) {
            case 401 -> "woocommerce_rest_cannot_view";
            case 400, 415 -> "rest_invalid_param";
            case 429 -> "too_many_requests";
            default -> "internal_server_error";
        };
        return Reply.json(status, "{\"code\":\"" + code + "\",\"message\":" + VendorHttp.quote(message, true) + ",\"data\":{\"status\":"
                + status + "}}");
    }

    @Override
    Reply unauthorized() {
        return error(401, "Sorry, you cannot list resources.").with("WWW-Authenticate", "Basic realm=\"WooCommerce\"");
    }
}
