package dev.aggregator.ops;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.SettingsException;
import dev.aggregator.config.VendorConfig;
import dev.aggregator.delivery.OrderDelivery;
import dev.aggregator.delivery.OrderToDeliver;
import dev.aggregator.stock.InvalidProductException;
import dev.aggregator.stock.MappedCatalog;
import dev.aggregator.stock.ProductNormalizer;
import dev.aggregator.stock.VendorAnswerException;
import dev.aggregator.support.ProblemException;
import dev.aggregator.vendor.FileVendor;
import dev.aggregator.vendor.VendorAccess;
import dev.aggregator.vendor.VendorFiles;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.Body;
import org.apache.camel.Header;

/**
 * The admin preview of a vendor (issue 24): a vendor file's YAML, or a configured vendor's name, is read as
 * the poller would read it. Its first page is fetched and mapped; the answer lists the products as they
 * would be stored and the records that would be dead-lettered with their reasons, and the request a sample
 * order would become (method, URL, headers with secrets masked, body). Nothing is stored and nothing is
 * sent to the order endpoint: a user writes a mapping by trial, as Airbyte's Connector Builder tests a stream.
 */
public class VendorPreview {

    /** The sample order's id: visibly not a real one. */
    static final String SAMPLE_ORDER = "00000000-0000-4000-8000-000000000000";

    private final VendorRegistry vendors;
    private final VendorFiles files;
    private final OrderDelivery delivery;
    private final ObjectMapper json;
    private final MappedCatalog catalog;
    private final HttpClient http;
    private final long timeoutMillis;

    public VendorPreview(VendorRegistry vendors, VendorFiles files, OrderDelivery delivery, ObjectMapper json, int pageSize,
                         long timeoutMillis) {
        this.vendors = vendors;
        this.files = files;
        this.delivery = delivery;
        this.json = json;
        this.catalog = new MappedCatalog(json, pageSize);
        this.timeoutMillis = timeoutMillis;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(timeoutMillis)).followRedirects(HttpClient.Redirect.NEVER).build();
    }

    /** POST /admin/vendors/preview: the body is a vendor file's YAML (its first vendor is previewed). */
    public Map<String, Object> ofFile(@Body String yaml) throws Exception {
        if (yaml == null || yaml.isBlank()) {
            throw ProblemException.badRequest("the body must be a vendor file's YAML (a templatedRoute of vendor-poller)");
        }
        List<FileVendor> found;
        try {
            found = files.readText(yaml);
        } catch (SettingsException e) {
            throw ProblemException.badRequest("the vendor file cannot be used: " + e.getMessage());
        }
        VendorConfig vendor = found.get(0).config();
        if (vendor.api().pageRoute() != null) {
            throw new ProblemException(422, "Unprocessable Content", "the file checks out, but vendor '" + vendor.name()
                    + "' reads its pages through its own route (" + vendor.api().pageRoute() + "), which runs only once the file is in "
                    + "routes/: save it there, then GET /admin/vendors/" + vendor.name() + "/preview");
        }
        return preview(vendor, null);
    }

    /** GET /admin/vendors/{vendor}/preview: a configured vendor. */
    public Map<String, Object> ofVendor(@Header("vendor") String name, org.apache.camel.CamelContext context) throws Exception {
        VendorConfig vendor = vendors.find(name).orElseThrow(() -> new ProblemException(404, "Not Found", "no vendor '" + name + "' is configured"));
        return preview(vendor, context);
    }

    /** The first page as the vendor answered it: through HTTP, or through its file's page route. */
    private record Answer(int status, InputStream body, java.util.function.Function<String, String> header) {
    }

    private Map<String, Object> preview(VendorConfig vendor, org.apache.camel.CamelContext context) throws Exception {
        VendorAccess access = VendorAccess.of(vendor);
        var api = vendor.api();
        MappedCatalog.Walk walk = catalog.begin(api);
        String query = access.pagingQuery(catalog.params(api, walk));
        String url = access.base() + (query == null ? "" : "?" + query);
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofMillis(timeoutMillis)).GET()
                .header("Accept-Encoding", "gzip, deflate").header("User-Agent", "order-aggregator-preview");
        access.headers().forEach(request::header);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("vendor", vendor.name());
        answer.put("request", Map.of("method", "GET", "url", access.redact(url)));
        Answer response;
        if (api.pageRoute() != null) {
            answer.put("request", Map.of("route", api.pageRoute(), "pageUrl", access.redact(url)));
            response = throughRoute(context, vendor, access, url);
        } else {
            try {
                HttpResponse<InputStream> http = this.http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
                response = new Answer(http.statusCode(), decoded(http), name -> http.headers().firstValue(name).orElse(null));
            } catch (IOException e) {
                throw new ProblemException(502, "Bad Gateway", "the vendor could not be reached: " + access.redact(String.valueOf(e.getMessage())));
            }
        }
        answer.put("status", response.status());
        List<Map<String, Object>> products = new ArrayList<>();
        List<Map<String, Object>> rejected = new ArrayList<>();
        try (InputStream body = response.body()) {
            if (response.status() / 100 != 2) {
                throw new ProblemException(502, "Bad Gateway", "the vendor answered " + response.status() + " to the first page");
            }
            MappedCatalog.Page page = catalog.read(api, walk, body, response.header().apply("Content-Type"), response.header(), url);
            for (JsonNode product : page.products()) {
                try {
                    products.add(ProductNormalizer.check(product));
                } catch (InvalidProductException e) {
                    Map<String, Object> r = new LinkedHashMap<>();
                    r.put("record", product.has("record") ? product.get("record") : product);
                    r.put("reason", e.getMessage());
                    rejected.add(r);
                }
            }
            answer.put("morePages", walk.more());
        } catch (VendorAnswerException e) {
            throw new ProblemException(422, "Unprocessable Content", "the first page cannot be read as configured: " + access.redact(e.getMessage()));
        }
        answer.put("products", products);
        answer.put("rejected", rejected);
        if (!products.isEmpty()) {
            Map<String, Object> first = products.get(0);
            OrderToDeliver sample = new OrderToDeliver(SAMPLE_ORDER, vendor.name(), (String) first.get("id"), 1, "PENDING", null, 0,
                    System.nanoTime(), (java.math.BigDecimal) first.get("price"), (String) first.get("name"));
            OrderDelivery.OrderRequest order = delivery.request(access, sample);
            Map<String, String> headers = new LinkedHashMap<>();
            order.headers().forEach((k, v) -> headers.put(k, access.redact(v)));
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("method", order.method());
            o.put("url", access.redact(order.url()));
            o.put("headers", headers);
            o.put("body", order.body());
            o.put("note", "not sent: a preview of the request order " + SAMPLE_ORDER + " (1 × the first product) would be"
                    + (api.orderRoute() == null ? "" : "; its route " + api.orderRoute() + " gets this body and these headers, "
                    + "with the url and method as the properties orderUrl and orderMethod"));
            answer.put("order", o);
        }
        return answer;
    }

    /** The first page through the vendor's page route, called as its poll calls it (README "A vendor of its own"). */
    private Answer throughRoute(org.apache.camel.CamelContext context, VendorConfig vendor, VendorAccess access, String url) throws IOException {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
        exchange.setProperty(dev.aggregator.stock.CatalogReader.VENDOR, vendor.name());
        exchange.setProperty(dev.aggregator.stock.CatalogReader.PAGE_URL, url);
        access.headers().forEach(exchange.getMessage()::setHeader);
        org.apache.camel.ProducerTemplate template = context.createProducerTemplate();
        try {
            template.send(vendor.api().pageRoute(), exchange);
        } finally {
            try {
                template.stop();
            } catch (Exception ignored) {
                // nothing held
            }
        }
        if (exchange.getException() != null) {
            throw new ProblemException(502, "Bad Gateway", "the page route " + vendor.api().pageRoute() + " failed: "
                    + access.redact(dev.aggregator.delivery.DeliveryFailures.reason(exchange.getException())));
        }
        var message = exchange.getMessage();
        Object body = message.getBody();
        InputStream in = body instanceof java.util.Collection || body instanceof Map || body instanceof JsonNode
                ? new java.io.ByteArrayInputStream(json.writeValueAsBytes(body))
                : body == null ? InputStream.nullInputStream() : message.getBody(InputStream.class);
        Integer status = message.getHeader(org.apache.camel.Exchange.HTTP_RESPONSE_CODE, Integer.class);
        return new Answer(status == null ? 200 : status, in, name -> message.getHeader(name, String.class));
    }

    private static InputStream decoded(HttpResponse<InputStream> response) throws IOException {
        String encoding = response.headers().firstValue("Content-Encoding").orElse("").toLowerCase(java.util.Locale.ROOT);
        return encoding.contains("gzip") ? new GZIPInputStream(response.body())
                : encoding.contains("deflate") ? new InflaterInputStream(response.body()) : response.body();
    }
}
