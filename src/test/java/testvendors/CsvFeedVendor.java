package testvendors;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;

import com.sun.net.httpserver.HttpExchange;

import testvendors.VendorHttp.Reply;

/**
 * A vendor with a CSV stock feed. {@code GET /export/stock.csv} answers one file (no paging), Content-Type
 * {@code text/csv; charset=utf-8}, CRLF line ends: a header row {@code sku;name;price;qty}, then one row per product,
 * delimiter ';', sku and price always quoted, name quoted when it holds ';', '"', ',' (a '"' inside doubled), qty bare:
 * {@code "W-7";"Widget 7 ""Deluxe"" 3\4";"4.50";12}. gzip-compressed (Content-Encoding: gzip) when the request's
 * Accept-Encoding names gzip. {@code POST /orders} with {@code {"sku":"…","quantity":<int>,"reference":"<order id>"}}
 * answers 202 {@code {"ticket":"T-<n>"}}; 400 if malformed. No credentials.
 * Own process: {@code java -cp <test-classes> testvendors.CsvFeedVendor <port> <products> <latencyMs>}.
 */
public class CsvFeedVendor extends StyledVendor {

    private final List<Product> expected = new ArrayList<>();
    private final Set<String> skus = new HashSet<>();
    private final byte[] csv;
    private final byte[] gzipped;
    private final AtomicInteger tickets = new AtomicInteger();

    public CsvFeedVendor(int port, int products, long latencyMillis) throws IOException {
        super(port, latencyMillis);
        StringBuilder out = new StringBuilder("sku;name;price;qty\r\n");
        for (int i = 1; i <= products; i++) {
            Product p = new Product("W-" + i, VendorHttp.name("Widget", i), VendorHttp.price(VendorHttp.cents(i, 5)), VendorHttp.stock(i, 5));
            expected.add(p);
            skus.add(p.id());
            out.append('"').append(p.id()).append("\";").append(field(p.name())).append(";\"").append(p.price().toPlainString())
                    .append("\";").append(p.stock()).append("\r\n");
        }
        csv = out.toString().getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(csv);
        }
        gzipped = zipped.toByteArray();
        route("GET", "/export/stock\\.csv", Kind.CATALOGUE, this::feed);
        route("POST", "/orders", Kind.ORDER, this::order);
        start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: CsvFeedVendor <port> <products> <latencyMs>");
            System.exit(2);
        }
        CsvFeedVendor v = new CsvFeedVendor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        System.out.println("vendor CsvFeedVendor at " + v.baseUrl());
    }

    @Override
    public List<Product> expectedProducts() {
        return List.copyOf(expected);
    }

    /** The feed as sent uncompressed. */
    public String csv() {
        return new String(csv, StandardCharsets.UTF_8);
    }

    private static String field(String s) {
        return s.contains(";") || s.contains("\"") || s.contains(",") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private Reply feed(HttpExchange x, String body) {
        String accept = x.getRequestHeaders().getFirst("Accept-Encoding");
        boolean gzip = accept != null && accept.toLowerCase(Locale.ROOT).contains("gzip");
        Reply reply = new Reply(200, "text/csv; charset=utf-8", gzip ? gzipped : csv, Map.of());
        return gzip ? reply.with("Content-Encoding", "gzip").with("Vary", "Accept-Encoding") : reply.with("Vary", "Accept-Encoding");
    }

    private Reply order(HttpExchange x, String body) {
        Map<String, Object> order = VendorHttp.jsonBody(x, body);
        String sku = VendorHttp.text(order.get("sku"), "sku");
        if (!skus.contains(sku)) {
            throw new IllegalArgumentException("unknown sku " + sku);
        }
        VendorHttp.positive(order.get("quantity"), "quantity");
        VendorHttp.text(order.get("reference"), "reference");
        return Reply.json(202, "{\"ticket\":\"T-" + tickets.incrementAndGet() + "\"}");
    }
}
