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
import dev.aggregator.vendor.VendorAccess;
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
    /** The vendor answered 304 to the conditional first page: nothing changed since the last poll. */
    public static final String NOT_MODIFIED = "catalogNotModified";
    /** The first page's validators, kept after a complete poll for the next one's conditional request. */
    public static final String ETAG = "catalogEtag";
    public static final String LAST_MODIFIED = "catalogLastModified";
    private static final String IF_NONE_MATCH = "catalogIfNoneMatch";
    private static final String IF_MODIFIED_SINCE = "catalogIfModifiedSince";
    /** A vendor file's own API (VendorApi): the walk over its pages, when it has one. */
    private static final String WALK = "catalogWalk";
    private static final String API = "catalogApi";
    /** How long to wait before the next request (a vendor's Retry-After), and how long this poll has waited. */
    public static final String WAIT_MS = "catalogWaitMs";
    /** The vendor's own page route (its file's pageRoute), called instead of the HTTP fetch; absent for the others. */
    public static final String PAGE_ROUTE = "catalogPageRoute";
    /** What this poll's validators belong to, kept with them (VendorAccess.validatorKey). */
    public static final String VALIDATOR_KEY = "catalogValidatorKey";
    /** How a poll that failed for its vendor file's mapping says so (and VendorStatus finds it). */
    public static final String NO_PRODUCT_FROM_MAPPING = "the mapping yields no product from the first page";
    /** The page a page route is asked for: its URL with the paging query (README "A vendor of its own"). */
    public static final String PAGE_URL = "pageUrl";
    private static final String WAITED_MS = "catalogWaitedMs";

    /** What the last complete poll of a vendor answered with: ETag and Last-Modified (either may be null). */
    public record Validators(String etag, String lastModified) {
        public static final Validators NONE = new Validators(null, null);
    }

    private final ObjectMapper json;
    private final int batchSize;
    private final int pageSize;
    private final java.util.function.Supplier<Instant> clock;
    private final java.util.function.Function<String, java.util.Optional<VendorAccess>> vendors;
    private final java.util.function.BiFunction<String, String, Validators> validators;
    private final MappedCatalog mapped;
    private final VendorJson answers;
    private dev.aggregator.vendor.VendorRegistry pauses;
    private long retryAfterMaxMillis = 60_000;

    /**
     * batchSize: products per queued message; pageSize: what we ask a paging vendor for after its first
     * answer (it may give fewer; the walk follows whatever it gives).
     */
    public CatalogReader(ObjectMapper json, int batchSize, int pageSize) {
        this(json, batchSize, pageSize, Instant::now, vendor -> java.util.Optional.empty(), (vendor, key) -> Validators.NONE);
    }

    /**
     * clock: where a poll's fetch time comes from; vendors: how to reach each vendor; validators: the
     * last complete poll's ETag and Last-Modified of a vendor.
     */
    public CatalogReader(ObjectMapper json, int batchSize, int pageSize, java.util.function.Supplier<Instant> clock,
                         java.util.function.Function<String, java.util.Optional<VendorAccess>> vendors,
                         java.util.function.BiFunction<String, String, Validators> validators) {
        this.clock = clock;
        this.vendors = vendors;
        this.validators = validators;
        this.json = json;
        this.batchSize = batchSize;
        this.pageSize = pageSize;
        this.mapped = new MappedCatalog(json, pageSize);
        this.answers = new VendorJson(json);
    }

    /**
     * How a Retry-After on a page is obeyed: the pause is told to the registry (the vendor's lane waits it
     * out too), and a poll waits at most this long in all before it fails with the reason.
     */
    public CatalogReader obeyingRetryAfter(dev.aggregator.vendor.VendorRegistry pauses, long retryAfterMaxMillis) {
        this.pauses = pauses;
        this.retryAfterMaxMillis = retryAfterMaxMillis;
        return this;
    }

    /** Starts a poll: one fetch time for every page, so all its products carry the same timestamp. */
    public void begin(Exchange exchange) {
        String vendor = exchange.getProperty(VENDOR, String.class);
        // what the products' envelopes and the vendor's status say it was fetched from: no secrets
        vendors.apply(vendor).ifPresent(access -> exchange.setProperty(VENDOR_URL, access.displayUrl()));
        // validators answered for this URL, credentials and reading only (VendorAccess.validatorKey)
        String key = vendors.apply(vendor).map(VendorAccess::validatorKey).orElse(null);
        exchange.setProperty(VALIDATOR_KEY, key);
        Validators last = key == null ? Validators.NONE : validators.apply(vendor, key);
        exchange.setProperty(IF_NONE_MATCH, last.etag());
        exchange.setProperty(IF_MODIFIED_SINCE, last.lastModified());
        exchange.setProperty(NOT_MODIFIED, false);
        exchange.setProperty(FETCHED_AT, clock.get().toString());
        exchange.setProperty(SKIP, 0);
        exchange.setProperty(MORE, true);
        exchange.setProperty(PAGES, 0);
        exchange.setProperty(PRODUCTS, 0);
        exchange.setProperty(WAIT_MS, 0L);
        exchange.setProperty(WAITED_MS, 0L);
        exchange.removeProperty(WALK);
        exchange.removeProperty(API);
        exchange.removeProperty(PAGE_ROUTE);
        vendors.apply(vendor).map(a -> a.api().pageRoute()).ifPresent(route -> exchange.setProperty(PAGE_ROUTE, route));
        vendors.apply(vendor).map(VendorAccess::api).filter(dev.aggregator.config.VendorApi::mapped).ifPresent(api -> {
            exchange.setProperty(API, api);
            exchange.setProperty(WALK, mapped.begin(api));
        });
        exchange.getMessage().setBody(null);
    }

    /** How long to wait before the next request: what the vendor asked, on this poll or its lane. */
    public long waitMillis(Exchange exchange) {
        long asked = exchange.getProperty(WAIT_MS, 0L, Long.class);
        long paused = pauses == null ? 0 : java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(pauses.pauseRemainingNanos(exchange.getProperty(VENDOR, String.class)));
        return Math.max(asked, paused);
    }

    /** The query string of the next request: none for the first page (the vendor's own default). */
    public String query(Exchange exchange) {
        int skip = exchange.getProperty(SKIP, 0, Integer.class);
        Integer size = exchange.getProperty(PAGE_SIZE, Integer.class);
        return skip == 0 || size == null ? null : "limit=" + size + "&skip=" + skip;
    }

    /**
     * The next page's request: its bare URL and query (the vendor URL's own parameters on every page), and
     * on the first page the last complete poll's validators, so an unchanged catalogue costs one 304.
     */
    public void request(Exchange exchange) {
        VendorAccess access = access(exchange.getProperty(VENDOR, String.class));
        exchange.setProperty(WAIT_MS, 0L);
        var message = exchange.getMessage();
        MappedCatalog.Walk walk = exchange.getProperty(WALK, MappedCatalog.Walk.class);
        boolean first;
        if (walk != null && walk.nextUrl() != null) {
            // Link paging: the vendor's next URL as given (same host, checked when it was read)
            message.setHeader(Exchange.HTTP_URI, walk.nextUrl());
            first = false;
        } else {
            message.setHeader(Exchange.HTTP_URI, access.base());
            String query = walk == null ? access.pageQuery(query(exchange))
                    : access.pagingQuery(mapped.params(exchange.getProperty(API, dev.aggregator.config.VendorApi.class), walk));
            if (query != null) {
                message.setHeader(Exchange.HTTP_QUERY, query);
            }
            first = walk == null ? exchange.getProperty(SKIP, 0, Integer.class) == 0 : exchange.getProperty(PAGES, 0, Integer.class) == 0;
        }
        if (first) {
            String etag = exchange.getProperty(IF_NONE_MATCH, String.class);
            String modified = exchange.getProperty(IF_MODIFIED_SINCE, String.class);
            if (etag != null) {
                message.setHeader("If-None-Match", etag);
            }
            if (modified != null) {
                message.setHeader("If-Modified-Since", modified);
            }
        }
    }

    /**
     * A page route's answer, read as an HTTP answer would be: its CamelHttpResponseCode (200 when it set none),
     * its headers (Content-Type, Link, ETag, Retry-After…) and its body, text or bytes as the vendor sent them, or
     * a list or object the route built (written as JSON, so the vendor file's paging and mapping read it).
     */
    /**
     * Before a page route: the page's URL (query included) goes in the exchange property pageUrl, out of the
     * Camel HTTP headers, so an http: call of the route goes where the route says and not to our URL.
     */
    public void toRoute(Exchange exchange) {
        var message = exchange.getMessage();
        String url = message.getHeader(Exchange.HTTP_URI, String.class);
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        exchange.setProperty(PAGE_URL, query == null || url.contains("?") ? url : url + "?" + query);
        message.removeHeaders("CamelHttp*");
    }

    public void answered(Exchange exchange) throws IOException {
        var message = exchange.getMessage();
        // the page it was asked for, as the paging reads it back (a Link's host is checked against it)
        message.setHeader(Exchange.HTTP_URI, exchange.getProperty(PAGE_URL));
        message.removeHeader(Exchange.HTTP_QUERY);
        if (message.getHeader(Exchange.HTTP_RESPONSE_CODE) == null) {
            message.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        }
        Object body = message.getBody();
        if (body instanceof java.util.Collection || body instanceof Map || body instanceof JsonNode) {
            message.setBody(json.writeValueAsBytes(body));
            message.setHeader(Exchange.CONTENT_TYPE, "application/json");
        }
    }

    private VendorAccess access(String vendor) {
        return vendors.apply(vendor).orElseThrow(() -> new IllegalStateException("vendor " + vendor + " is no longer configured"));
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
        if (askedToWait(exchange)) {
            return java.util.Collections.emptyIterator(); // the same page again once the wait is over
        }
        MappedCatalog.Walk walk = exchange.getProperty(WALK, MappedCatalog.Walk.class);
        int skip = exchange.getProperty(SKIP, 0, Integer.class);
        if (walk == null ? skip == 0 : exchange.getProperty(PAGES, 0, Integer.class) == 0) {
            Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
            if (status != null && status == 304) {
                exchange.setProperty(NOT_MODIFIED, true);
                exchange.setProperty(MORE, false);
                return java.util.Collections.emptyIterator();
            }
            exchange.setProperty(ETAG, exchange.getMessage().getHeader("ETag", String.class));
            exchange.setProperty(LAST_MODIFIED, exchange.getMessage().getHeader("Last-Modified", String.class));
        }
        if (body == null) {
            throw new VendorAnswerException("answered " + status(exchange) + " with no body");
        }
        if (walk != null) {
            return readMapped(body, exchange, walk);
        }
        String type = exchange.getMessage().getHeader(Exchange.CONTENT_TYPE, String.class);
        String lower = type == null ? "" : type.toLowerCase(java.util.Locale.ROOT);
        // HTML or XML is a login page, a proxy's error or a maintenance notice, never products. Other types
        // are read as JSON: some vendors label their JSON text/plain.
        if (lower.contains("html") || lower.contains("xml")) {
            throw new VendorAnswerException("answered " + type.split(";")[0].trim() + ", not JSON (HTTP " + status(exchange) + ")");
        }
        JsonParser parser = answers.parser(body, type);
        JsonToken first = parser.nextToken();
        count(exchange, PAGES, 1);
        if (first == JsonToken.START_ARRAY) {
            exchange.setProperty(MORE, false);
            return new StreamedArray(parser, exchange, java.util.function.UnaryOperator.identity(), false);
        }
        JsonNode answer = first == null ? null : answers.readTree(parser);
        parser.close();
        int requested = exchange.getProperty(SKIP, 0, Integer.class);
        CatalogPage page = CatalogPage.parse(answer, requested);
        exchange.setProperty(MORE, page.hasNext());
        exchange.setProperty(SKIP, page.nextSkip());
        exchange.setProperty(PAGE_SIZE, Math.max(page.pageSize(), pageSize));
        count(exchange, PRODUCTS, page.products().size());
        List<Map<String, Object>> envelopes = new ArrayList<>();
        List<JsonNode> products = page.products().stream().map(answers::checked).toList();
        for (int from = 0; from < products.size(); from += batchSize) {
            envelopes.add(envelope(exchange, products.subList(from, Math.min(products.size(), from + batchSize))));
        }
        return envelopes.iterator();
    }

    /**
     * A 429 or 503: with a Retry-After the poll waits as long as the vendor asked (the route's delay before
     * the next request) and asks for the same page again; the vendor's lane waits too. Without one, or past
     * aggregator.poll.retry-after-max-ms of waiting in one poll, the poll fails with the reason, as before.
     */
    private boolean askedToWait(Exchange exchange) {
        Integer status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE, Integer.class);
        if (status == null || status != 429 && status != 503) {
            return false;
        }
        String asked = exchange.getMessage().getHeader("Retry-After", String.class);
        var wait = dev.aggregator.support.RetryAfter.parse(asked, Instant.now(), java.time.Duration.ofDays(1));
        if (wait.isEmpty()) {
            throw new VendorAnswerException("answered " + status + (asked == null ? "" : " with a Retry-After that is neither seconds nor a date"));
        }
        long waited = exchange.getProperty(WAITED_MS, 0L, Long.class) + wait.get().toMillis();
        if (waited > retryAfterMaxMillis) {
            throw new VendorAnswerException("answered " + status + " asking to wait " + wait.get().toSeconds() + " s (Retry-After), "
                    + waited / 1000 + " s in this poll, more than aggregator.poll.retry-after-max-ms (" + retryAfterMaxMillis / 1000 + " s)");
        }
        if (pauses != null) {
            pauses.pause(exchange.getProperty(VENDOR, String.class), wait.get());
        }
        exchange.setProperty(WAITED_MS, waited);
        exchange.setProperty(WAIT_MS, wait.get().toMillis());
        exchange.setProperty(MORE, true);
        return true;
    }

    /** A page of a vendor with an API of its own: decoded, mapped and paged as its file says (MappedCatalog). */
    private Iterator<Map<String, Object>> readMapped(InputStream body, Exchange exchange, MappedCatalog.Walk walk) throws IOException {
        var message = exchange.getMessage();
        String requestUrl = message.getHeader(Exchange.HTTP_URI, String.class);
        String query = message.getHeader(Exchange.HTTP_QUERY, String.class);
        String url = query == null || requestUrl.contains("?") ? requestUrl : requestUrl + "?" + query;
        dev.aggregator.config.VendorApi api = exchange.getProperty(API, dev.aggregator.config.VendorApi.class);
        MappedCatalog.Page page;
        if (mapped.streams(api)) {
            String type = message.getHeader(Exchange.CONTENT_TYPE, String.class);
            if (type != null && type.toLowerCase(java.util.Locale.ROOT).contains("html")) {
                throw new VendorAnswerException("answered " + type.split(";")[0].trim() + ", not JSON");
            }
            JsonParser parser = answers.parser(body, type);
            JsonToken first = parser.nextToken();
            if (first == JsonToken.START_ARRAY) {
                mapped.streamed(walk);
                count(exchange, PAGES, 1);
                exchange.setProperty(MORE, false);
                return new StreamedArray(parser, exchange, record -> mapped.map(api, record), true);
            }
            JsonNode answer = first == null ? null : answers.readTree(parser);
            parser.close();
            page = mapped.page(api, walk, answer, name -> message.getHeader(name, String.class), url);
        } else {
            page = mapped.read(api, walk, body, message.getHeader(Exchange.CONTENT_TYPE, String.class),
                    name -> message.getHeader(name, String.class), url);
        }
        if (exchange.getProperty(PAGES, 0, Integer.class) == 0) {
            requireAProduct(page.products());
        }
        count(exchange, PAGES, 1);
        count(exchange, PRODUCTS, page.products().size());
        exchange.setProperty(MORE, walk.more());
        List<Map<String, Object>> envelopes = new ArrayList<>();
        List<JsonNode> products = page.products();
        for (int from = 0; from < products.size(); from += batchSize) {
            envelopes.add(envelope(exchange, products.subList(from, Math.min(products.size(), from + batchSize))));
        }
        return envelopes.iterator();
    }

    /**
     * A vendor file whose mapping turns every record of the first page into a product that cannot be
     * stored is wrong (or its vendor is): the poll fails with the first reason, so /health and the dashboard
     * name it (vendors.<name>.poll), and nothing is queued or delisted. Records that fail among good ones are
     * dead-lettered one by one, as always. A streamed one-array answer has its first batch checked so.
     */
    private static void requireAProduct(List<JsonNode> products) {
        if (products.isEmpty()) {
            return; // an empty catalogue is an answer, not a mapping error
        }
        String first = null;
        for (JsonNode product : products) {
            try {
                ProductNormalizer.check(product);
                return;
            } catch (InvalidProductException e) {
                first = first == null ? e.getMessage() : first;
            }
        }
        throw new VendorAnswerException(NO_PRODUCT_FROM_MAPPING + " (" + products.size()
                + " records, none usable; the first: " + first + ")");
    }

    private static Object status(Exchange exchange) {
        Object status = exchange.getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE);
        return status == null ? "?" : status;
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
        private final java.util.function.UnaryOperator<JsonNode> map;
        private List<JsonNode> next;
        /** A vendor file's mapping: its first batch is checked as a first page is (requireAProduct). */
        private boolean checkFirst;

        /** map: what each record becomes (a vendor file's mapping; as is for the default reader); not a record too deep. */
        StreamedArray(JsonParser parser, Exchange exchange, java.util.function.UnaryOperator<JsonNode> map, boolean checkFirst) {
            this.parser = parser;
            this.exchange = exchange;
            this.map = map;
            this.checkFirst = checkFirst;
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
                    JsonNode record = json.readTree(parser);
                    JsonNode checked = answers.checked(record);
                    products.add(checked == record ? map.apply(record) : checked);
                }
                if (products.size() < batchSize) {
                    parser.close();
                }
                if (checkFirst) {
                    checkFirst = false;
                    requireAProduct(products); // before anything of the poll is queued
                }
                return products.isEmpty() ? null : products;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
