package dev.aggregator.stock;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;

/**
 * The poller's page walk: builds each page's query, reads each answer and wraps every product in the
 * envelope queued on sync_from_external (vendor, fetch time, source URL, the vendor's record as is).
 */
public class CatalogReader {

    public static final String VENDOR = "vendor";
    public static final String VENDOR_URL = "vendorUrl";
    public static final String SKIP = "catalogSkip";
    public static final String PAGE_SIZE = "catalogPageSize";
    public static final String MORE = "catalogMore";
    public static final String FETCHED_AT = "catalogFetchedAt";
    public static final String PAGES = "catalogPages";
    public static final String PRODUCTS = "catalogProducts";

    private final ObjectMapper json;
    private final int batchSize;
    private final int pageSize;
    private final java.util.function.Supplier<Instant> clock;

    /**
     * batchSize: products per queued message; pageSize: what we ask a paging vendor for after its first
     * answer (it may give fewer; the walk follows whatever it gives).
     */
    public CatalogReader(ObjectMapper json, int batchSize, int pageSize) {
        this(json, batchSize, pageSize, Instant::now);
    }

    /** clock: where a poll's fetch time comes from. */
    public CatalogReader(ObjectMapper json, int batchSize, int pageSize, java.util.function.Supplier<Instant> clock) {
        this.clock = clock;
        this.json = json;
        this.batchSize = batchSize;
        this.pageSize = pageSize;
    }

    /** Starts a poll: one fetch time for every page, so all its products carry the same timestamp. */
    public void begin(Exchange exchange) {
        exchange.setProperty(FETCHED_AT, clock.get().toString());
        exchange.setProperty(SKIP, 0);
        exchange.setProperty(MORE, true);
        exchange.setProperty(PAGES, 0);
        exchange.setProperty(PRODUCTS, 0);
        exchange.getMessage().setBody(null);
    }

    /** The query string of the next request: none for the first page (the vendor's own default). */
    public String query(Exchange exchange) {
        int skip = exchange.getProperty(SKIP, 0, Integer.class);
        Integer size = exchange.getProperty(PAGE_SIZE, Integer.class);
        return skip == 0 || size == null ? null : "limit=" + size + "&skip=" + skip;
    }

    /**
     * Reads one answer and returns its products as envelopes of up to batchSize products each, ready to
     * publish: {"vendor","source","fetchedAt","products":[…]}. Batches are what makes the upsert side fast;
     * a product that cannot be stored is still dead-lettered on its own.
     * A bare array is the vendor's whole catalogue in one answer, however large: it is read product by
     * product while the envelopes are published (split with streaming), so only one envelope's products
     * are held at a time, never the whole answer as a tree. A page is bounded by the limit we ask for and
     * is read whole, because its paging fields may follow its products.
     */
    public Iterator<Map<String, Object>> read(InputStream body, Exchange exchange) throws IOException {
        JsonParser parser = json.getFactory().createParser(body);
        JsonToken first = parser.nextToken();
        count(exchange, PAGES, 1);
        if (first == JsonToken.START_ARRAY) {
            exchange.setProperty(MORE, false);
            return new StreamedArray(parser, exchange);
        }
        JsonNode answer = first == null ? null : json.readTree(parser);
        parser.close();
        int requested = exchange.getProperty(SKIP, 0, Integer.class);
        CatalogPage page = CatalogPage.parse(answer, requested);
        exchange.setProperty(MORE, page.hasNext());
        exchange.setProperty(SKIP, page.nextSkip());
        exchange.setProperty(PAGE_SIZE, Math.max(page.pageSize(), pageSize));
        count(exchange, PRODUCTS, page.products().size());
        List<Map<String, Object>> envelopes = new ArrayList<>();
        List<JsonNode> products = page.products();
        for (int from = 0; from < products.size(); from += batchSize) {
            envelopes.add(envelope(exchange, products.subList(from, Math.min(products.size(), from + batchSize))));
        }
        return envelopes.iterator();
    }

    /** Adds n to one of the poll's counters (PAGES, PRODUCTS), which its log line reports. */
    private static void count(Exchange exchange, String counter, int n) {
        exchange.setProperty(counter, exchange.getProperty(counter, 0, Integer.class) + n);
    }

    private static Map<String, Object> envelope(Exchange exchange, List<JsonNode> products) {
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("vendor", exchange.getProperty(VENDOR, String.class));
        envelope.put("source", exchange.getProperty(VENDOR_URL, String.class));
        envelope.put("fetchedAt", exchange.getProperty(FETCHED_AT, String.class));
        envelope.put("products", products);
        return envelope;
    }

    /** A bare array's envelopes, read from the answer as they are asked for. */
    private final class StreamedArray implements Iterator<Map<String, Object>> {

        private final JsonParser parser;
        private final Exchange exchange;
        private List<JsonNode> next;

        StreamedArray(JsonParser parser, Exchange exchange) {
            this.parser = parser;
            this.exchange = exchange;
        }

        @Override
        public boolean hasNext() {
            if (next == null && !parser.isClosed()) {
                next = readBatch();
            }
            return next != null;
        }

        @Override
        public Map<String, Object> next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            List<JsonNode> products = next;
            next = null;
            count(exchange, PRODUCTS, products.size());
            return envelope(exchange, products);
        }

        private List<JsonNode> readBatch() {
            try {
                List<JsonNode> products = new ArrayList<>(batchSize);
                // A truncated answer makes Jackson throw here: the poll fails after what it could read.
                while (products.size() < batchSize && parser.nextToken() != JsonToken.END_ARRAY) {
                    products.add(json.readTree(parser));
                }
                if (products.size() < batchSize) {
                    parser.close();
                }
                return products.isEmpty() ? null : products;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
