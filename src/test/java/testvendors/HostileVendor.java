package testvendors;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A vendor that answers odd but real things (issue 25), an HTTP server of its own: each of its catalogues
 * lists good products (ids 1..n, DummyJSON's shape, paged by limit/skip) and, once spoiled, one kind of
 * hostile answer among them, so a test can show what each costs: a product with a number string whose
 * exponent is huge or tiny, a NUL in a name, a record nested deeper than Jackson's limit, or the whole
 * answer in Latin-1. JDK classes only, like the other outside vendors.
 */
public class HostileVendor implements AutoCloseable {

    /** The hostile part of an answer; {@link #BAD} is the id of the product it spoils. */
    public enum Answer {
        /** Product BAD's price and product BAD+1's stock are "1e999999999" (a billion digits written out). */
        HUGE_EXPONENT,
        /** Product BAD's price and product BAD+1's stock are "1e-999999999". */
        TINY_EXPONENT,
        /** Product BAD's name has a NUL character (\u0000), which PostgreSQL's text and jsonb refuse. */
        NUL_NAME,
        /** Product BAD carries a field nested DEEP levels deep, past Jackson's limit of 1,000. */
        DEEP_RECORD,
        /** The same, in a bare array (the whole catalogue in one answer, read as it streams in). */
        DEEP_RECORD_IN_ARRAY,
        /** The whole answer in ISO-8859-1, as its Content-Type says, with names that are not ASCII. */
        LATIN1,
        /**
         * Product BAD is named REFUSED_NAME: a test's own CHECK constraint makes PostgreSQL refuse it, standing in
         * for a value the service has no rule for.
         */
        REFUSED_BY_DATABASE
    }

    public static final int BAD = 5;
    public static final int DEEP = 1500;
    public static final String REFUSED_NAME = "Refused by the database";

    /** One catalogue: its answer, size, whether the answer is spoiled yet, and how often its first page was asked for. */
    public static final class Catalogue {
        private final Answer answer;
        private final int products;
        private volatile boolean spoiled;
        private final AtomicInteger polls = new AtomicInteger();
        private final String url;

        private Catalogue(Answer answer, int products, boolean spoiled, String url) {
            this.answer = answer;
            this.products = products;
            this.spoiled = spoiled;
            this.url = url;
        }

        /** From now on the answer carries its hostile part. */
        public void spoil() {
            spoiled = true;
        }

        /** First-page GETs so far (one per poll). */
        public int polls() {
            return polls.get();
        }

        public String url() {
            return url;
        }

        /** Product i's name as the vendor lists it (good products only). */
        public String name(int i) {
            return answer == Answer.LATIN1 ? "Crème brûlée n° " + i + ", à la française" : "Item " + i;
        }
    }

    private final HttpServer server;
    private final Map<String, Catalogue> catalogues = new ConcurrentHashMap<>();

    public HostileVendor() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    /**
     * Adds a catalogue at /{path}/products with this many products; spoiled: hostile from its first answer
     * (else from {@link Catalogue#spoil()} on).
     */
    public Catalogue catalogue(String path, Answer answer, int products, boolean spoiled) {
        Catalogue c = new Catalogue(answer, products, spoiled,
                "http://127.0.0.1:" + server.getAddress().getPort() + "/" + path + "/products");
        catalogues.put(path, c);
        server.createContext("/" + path + "/products", x -> handle(x, c));
        return c;
    }

    private void handle(HttpExchange x, Catalogue c) throws IOException {
        try (x) {
            if (!"GET".equals(x.getRequestMethod())) {
                VendorHttp.json(x, 405, "{}");
                return;
            }
            Map<String, String> q = VendorHttp.query(x.getRequestURI());
            int skip = VendorHttp.intParam(q, "skip", 0, 0, Integer.MAX_VALUE);
            int limit = VendorHttp.intParam(q, "limit", 100, 1, 1000);
            if (skip == 0) {
                c.polls.incrementAndGet();
            }
            boolean array = c.answer == Answer.DEEP_RECORD_IN_ARRAY || c.answer == Answer.LATIN1;
            StringBuilder body = new StringBuilder(array ? "[" : "{\"products\":[");
            int from = array ? 0 : skip;
            int to = array ? c.products : Math.min(c.products, skip + limit);
            for (int i = from; i < to; i++) {
                body.append(i > from ? "," : "");
                product(body, c, i + 1);
            }
            body.append(array ? "]" : "],\"total\":" + c.products + ",\"skip\":" + skip + ",\"limit\":" + limit + "}");
            Charset charset = c.answer == Answer.LATIN1 && c.spoiled ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
            VendorHttp.send(x, new VendorHttp.Reply(200, "application/json; charset=" + charset.name().toLowerCase(Locale.ROOT),
                    body.toString().getBytes(charset), Map.of()));
        } catch (VendorHttp.Refused e) {
            VendorHttp.json(x, e.status, "{\"error\":" + VendorHttp.quote(e.getMessage()) + "}");
        }
    }

    private static void product(StringBuilder b, Catalogue c, int id) {
        String name = c.name(id);
        String price = "1.50";
        String stock = "100";
        String extra = "";
        if (c.spoiled) {
            switch (c.answer) {
                case HUGE_EXPONENT -> {
                    price = id == BAD ? "\"1e999999999\"" : price;
                    stock = id == BAD + 1 ? "\"1e999999999\"" : stock;
                }
                case TINY_EXPONENT -> {
                    price = id == BAD ? "\"1e-999999999\"" : price;
                    stock = id == BAD + 1 ? "\"1e-999999999\"" : stock;
                }
                case NUL_NAME -> name = id == BAD ? "Item\u0000 " + id : name;
                case REFUSED_BY_DATABASE -> name = id == BAD ? REFUSED_NAME : name;
                case DEEP_RECORD, DEEP_RECORD_IN_ARRAY -> extra = id == BAD
                        ? ",\"attributes\":" + "{\"a\":".repeat(DEEP) + "1" + "}".repeat(DEEP) : "";
                case LATIN1 -> {
                }
            }
        }
        b.append("{\"id\":").append(id).append(",\"title\":").append(VendorHttp.quote(name))
                .append(",\"price\":").append(price).append(",\"stock\":").append(stock).append(extra).append('}');
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
