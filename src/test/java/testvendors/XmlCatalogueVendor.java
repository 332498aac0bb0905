package testvendors;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;

import testvendors.VendorHttp.Reply;

/**
 * A vendor with an XML catalogue. {@code GET /catalogue.xml?page=P} (P from 1, default 1; 20 items a page) answers
 * {@code application/xml; charset=utf-8}: {@code <?xml …?><catalogue page="1" pages="3"><item code="X-001" stock="4">
 * <name>Salt &amp; Pepper &lt;4&gt; Jar</name><price currency="EUR">3.20</price></item>…</catalogue>}; pages is the total;
 * a page past the end has no items. Every fourth name is written as CDATA instead of escaped. {@code POST /orders} with
 * JSON {@code {"code":"…","qty":<int>,"ref":"<order id>"}} answers 200 {@code <reservation id="R-<n>" status="ok"/>}
 * (application/xml); errors are {@code <error status="…">message</error>}. No credentials.
 * Own process: {@code java -cp <test-classes> testvendors.XmlCatalogueVendor <port> <products> <latencyMs>}.
 */
public class XmlCatalogueVendor extends StyledVendor {

    public static final int PAGE_SIZE = 20;

    private final List<Product> expected = new ArrayList<>();
    private final List<String> xml = new ArrayList<>();
    private final Set<String> codes = new HashSet<>();
    private final AtomicInteger reservations = new AtomicInteger();

    public XmlCatalogueVendor(int port, int products, long latencyMillis) throws IOException {
        super(port, latencyMillis);
        for (int i = 1; i <= products; i++) {
            Product p = new Product(String.format("X-%03d", i), VendorHttp.name("Jar", i), VendorHttp.price(VendorHttp.cents(i, 11)),
                    VendorHttp.stock(i, 11));
            expected.add(p);
            codes.add(p.id());
            String name = i % 4 == 3 ? "<![CDATA[" + p.name() + "]]>" : VendorHttp.xml(p.name(), false);
            xml.add("<item code=\"" + VendorHttp.xml(p.id(), true) + "\" stock=\"" + p.stock() + "\"><name>" + name
                    + "</name><price currency=\"EUR\">" + p.price().toPlainString() + "</price></item>");
        }
        route("GET", "/catalogue\\.xml", Kind.CATALOGUE, this::page);
        route("POST", "/orders", Kind.ORDER, this::order);
        start();
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: XmlCatalogueVendor <port> <products> <latencyMs>");
            System.exit(2);
        }
        XmlCatalogueVendor v = new XmlCatalogueVendor(Integer.parseInt(args[0]), Integer.parseInt(args[1]), Long.parseLong(args[2]));
        System.out.println("vendor XmlCatalogueVendor at " + v.baseUrl());
    }

    @Override
    public List<Product> expectedProducts() {
        return List.copyOf(expected);
    }

    private Reply page(HttpExchange x, String body) {
        int page = VendorHttp.intParam(VendorHttp.query(x.getRequestURI()), "page", 1, 1, Integer.MAX_VALUE);
        int pages = (xml.size() + PAGE_SIZE - 1) / PAGE_SIZE;
        StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<catalogue page=\"").append(page)
                .append("\" pages=\"").append(pages).append("\">");
        long from = (long) (page - 1) * PAGE_SIZE;
        for (long i = from; i < Math.min(xml.size(), from + PAGE_SIZE); i++) {
            out.append("\n  ").append(xml.get((int) i));
        }
        return Reply.xml(200, out.append("\n</catalogue>\n").toString());
    }

    private Reply order(HttpExchange x, String body) {
        Map<String, Object> order = VendorHttp.jsonBody(x, body);
        String code = VendorHttp.text(order.get("code"), "code");
        if (!codes.contains(code)) {
            throw new IllegalArgumentException("unknown code " + code);
        }
        VendorHttp.positive(order.get("qty"), "qty");
        VendorHttp.text(order.get("ref"), "ref");
        return Reply.xml(200, "<reservation id=\"R-" + reservations.incrementAndGet() + "\" status=\"ok\"/>");
    }

    @Override
    Reply error(int status, String message) {
        return Reply.xml(status, "<error status=\"" + status + "\">" + VendorHttp.xml(message, false) + "</error>");
    }
}
