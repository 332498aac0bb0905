package testvendors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;

import testvendors.VendorHttp.Refused;
import testvendors.VendorHttp.Reply;

/**
 * A Shopify-like vendor. {@code GET /admin/api/products.json?limit=N} (1..250, default 50) answers
 * {@code {"products":[{"id":<long>,"title":"…","variants":[{"id":<long>,"title":"S","price":"12.50","inventory_quantity":7,"sku":"…"}]}]}},
 * paged ONLY by an RFC 8288 {@code Link} header: {@code <BASE/admin/api/products.json?limit=N&page_info=OPAQUE>; rel="next"}
 * (later pages also {@code rel="previous"}, both in one header, comma-separated; no next on the last page; page_info
 * is opaque base64url, send it back as is). Product i (1..N) has 1 + i % 3 variants (S, M, L); each variant is one
 * expected product: id = variant id, name = "title - variant title". {@code POST /admin/api/orders.json} with
 * {@code {"order":{"line_items":[{"variant_id":<long>,"quantity":<int>}],"note":"<order id>"}}} answers 201
 * {@code {"order":{"id":<long>,"name":"#1001"}}} (numbers increase); 422 {"errors":…} if malformed. Every request needs
 * {@code X-Shopify-Access-Token: <token>} (401 otherwise).
 * Own process: {@code java -cp <test-classes> testvendors.ShopifyStyleVendor <port> <products> <latencyMs> <token>}.
 */
public class ShopifyStyleVendor extends StyledVendor {

    private static final String[] SIZES = {"S", "M", "L"};
    private static final Pattern OFFSET = Pattern.compile("\"offset\":(\\d+)");

    private record Variant(long id, String title, int cents, int stock, String sku) {
    }

    private record Item(long id, String title, List<Variant> variants) {
    }

    private final String token;
    private final List<Item> items = new ArrayList<>();
    private final List<Product> expected = new ArrayList<>();
    private final Map<Long, Variant> variants = new HashMap<>();
    private final AtomicInteger orderNumber = new AtomicInteger(1000);

    public ShopifyStyleVendor(int port, int products, long latencyMillis, String accessToken) throws IOException {
        super(port, latencyMillis);
        this.token = accessToken;
        for (int i = 1; i <= products; i++) {
            String title = VendorHttp.name("Shirt", i);
            List<Variant> vs = new ArrayList<>();
            for (int v = 0; v < 1 + i % 3; v++) {
                Variant variant = new Variant(40_000_000_000L + i * 10L + v, SIZES[v], VendorHttp.cents(i, v), VendorHttp.stock(i, v),
                        "SH-" + i + "-" + SIZES[v]);
                vs.add(variant);
                variants.put(variant.id(), variant);
                expected.add(new Product(Long.toString(variant.id()), title + " - " + variant.title(), VendorHttp.price(variant.cents()),
                        variant.stock()));
            }
            items.add(new Item(7_000_000_000L + i * 101L, title, List.copyOf(vs)));
        }
        route("GET", "/admin/api/products\\.json", Kind.CATALOGUE, this::products);
        route("POST", "/admin/api/orders\\.json", Kind.ORDER, this::order);
        start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            System.err.println("usage: ShopifyStyleVendor <port> <products> <latencyMs> <token>");
            System.exit(2);
        }
        ShopifyStyleVendor v = new ShopifyStyleVendor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]), args[3]);
        System.out.println("vendor ShopifyStyleVendor at " + v.baseUrl());
    }

    @Override
    public List<Product> expectedProducts() {
        return List.copyOf(expected);
    }

    private Reply products(HttpExchange x, String body) {
        Map<String, String> q = VendorHttp.query(x.getRequestURI());
        int limit = VendorHttp.intParam(q, "limit", 50, 1, 250);
        int offset = q.containsKey("page_info") ? offset(q.get("page_info")) : 0;
        StringBuilder json = new StringBuilder("{\"products\":[");
        for (int i = offset; i < Math.min(items.size(), offset + limit); i++) {
            Item item = items.get(i);
            json.append(i > offset ? "," : "").append("{\"id\":").append(item.id()).append(",\"title\":").append(VendorHttp.quote(item.title()))
                    .append(",\"variants\":[");
            for (int v = 0; v < item.variants().size(); v++) {
                Variant variant = item.variants().get(v);
                json.append(v > 0 ? "," : "").append("{\"id\":").append(variant.id()).append(",\"product_id\":").append(item.id())
                        .append(",\"title\":\"").append(variant.title()).append("\",\"price\":\"").append(VendorHttp.price(variant.cents()))
                        .append("\",\"inventory_quantity\":").append(variant.stock()).append(",\"sku\":\"").append(variant.sku()).append("\"}");
            }
            json.append("]}");
        }
        Reply reply = Reply.json(200, json.append("]}").toString());
        List<String> links = new ArrayList<>();
        if (offset > 0) {
            links.add(link(Math.max(0, offset - limit), limit, "prev", "previous"));
        }
        if (offset + limit < items.size()) {
            links.add(link(offset + limit, limit, "next", "next"));
        }
        return links.isEmpty() ? reply : reply.with("Link", String.join(", ", links));
    }

    private String link(int offset, int limit, String direction, String rel) {
        String cursor = "{\"direction\":\"" + direction + "\",\"last_id\":" + (offset > 0 ? items.get(offset - 1).id() : 0) + ",\"offset\":" + offset + "}";
        String pageInfo = Base64.getUrlEncoder().withoutPadding().encodeToString(cursor.getBytes(StandardCharsets.UTF_8));
        return "<" + baseUrl() + "/admin/api/products.json?limit=" + limit + "&page_info=" + pageInfo + ">; rel=\"" + rel + "\"";
    }

    private int offset(String pageInfo) {
        try {
            Matcher m = OFFSET.matcher(new String(Base64.getUrlDecoder().decode(pageInfo), StandardCharsets.UTF_8));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        } catch (IllegalArgumentException e) {
            // below
        }
        throw new Refused(400, "Invalid page_info");
    }

    private Reply order(HttpExchange x, String body) {
        Map<String, Object> order = VendorHttp.object(VendorHttp.jsonBody(x, body).get("order"), "order");
        for (Object line : VendorHttp.list(order.get("line_items"), "order.line_items")) {
            Map<String, Object> item = VendorHttp.object(line, "line_items[]");
            long variantId = VendorHttp.whole(item.get("variant_id"), "line_items[].variant_id");
            if (!variants.containsKey(variantId)) {
                throw new IllegalArgumentException("line_items[].variant_id " + variantId + " does not exist");
            }
            VendorHttp.positive(item.get("quantity"), "line_items[].quantity");
        }
        VendorHttp.text(order.get("note"), "order.note");
        int number = orderNumber.incrementAndGet();
        return Reply.json(201, "{\"order\":{\"id\":" + (5_500_000_000L + number) + ",\"name\":\"#" + number + "\"}}");
    }

    @Override
    boolean authorized(Headers headers) {
        return token.equals(headers.getFirst("X-Shopify-Access-Token"));
    }

    @Override
    Reply error(int status, String message) {
        return Reply.json(status, "{\"errors\":" + VendorHttp.quote(message) + "}");
    }

    @Override
    Reply unauthorized() {
        return error(401, "[API] Invalid API key or access token (unrecognized login or wrong password)");
    }

    @Override
    int invalidStatus() {
        return 422;
    }
}
