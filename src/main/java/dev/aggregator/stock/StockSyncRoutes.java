package dev.aggregator.stock;

import dev.aggregator.config.QueueTopology;
import dev.aggregator.support.DeadLetterHeaders;
import dev.aggregator.support.DeadLetterRoutes;
import dev.aggregator.config.SchemaMigrator.SchemaNotReadyException;
import dev.aggregator.config.VendorApi;
import dev.aggregator.config.VendorConfig;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.BeanInject;
import org.apache.camel.Exchange;
import org.apache.camel.LoggingLevel;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.RouteDefinition;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.dao.TransientDataAccessException;

/**
 * Vendor → RabbitMQ → PostgreSQL. A route template polls one vendor (instantiated per vendor, from
 * the environment here or from YAML in routes/); one consumer route upserts every queued product.
 */
public class StockSyncRoutes extends RouteBuilder {

    static final String PUBLISH = "spring-rabbitmq:default?routingKey=" + QueueTopology.FROM_EXTERNAL + "&confirm=enabled";
    /** A message's normalized rows, kept for upserting them one by one should PostgreSQL refuse their statement. */
    static final String ROWS = "normalizedRows";
    /** The one row stock-upsert-one upserts, for its dead letter should PostgreSQL refuse it too. */
    static final String ROW = "normalizedRow";

    /** The headers as the template parameter takes them ("Name: value; …"). */
    private static String headerText(VendorConfig vendor) {
        StringBuilder text = new StringBuilder();
        vendor.headers().forEach((name, value) -> text.append(text.length() == 0 ? "" : "; ").append(name).append(": ").append(value));
        return text.toString();
    }

    @BeanInject("vendorRegistry")
    private VendorRegistry vendors;

    @Override
    public void configure() {
        // A vendor's poll, run by its trigger (below) through direct:.
        var poller = routeTemplate("vendor-poller")
                .templateParameter("vendor", null, "the vendor's name, as used in orders")
                .templateParameter("url", null, "the vendor's product-list URL (user:password@ and a query string are kept to it)")
                .templateParameter("period", "{{aggregator.poll.period-ms}}", "how often to poll: 500ms, 30s, 5m (a bare number is milliseconds)")
                // The vendor's delivery lane (empty: the global setting); read back by VendorRegistry.
                .templateParameter("rateLimit", "", "most order PUTs per second to this vendor, cluster-wide")
                .templateParameter("concurrency", "", "most order PUTs in flight to this vendor")
                .templateParameter("timeout", "", "HTTP time-out of an order PUT, e.g. 5s or 500ms")
                // Credentials, sent on every GET and PUT ({{env:NAME}} keeps them out of the file).
                .templateParameter("token", "", "sent as Authorization: Bearer <token>")
                .templateParameter("headers", "", "extra headers: 'Name: value' pairs separated by ';'");
        // The vendor's API, when it is not the demo's (README "Adding a vendor"): empty = the default reading.
        // Read from the route's template parameters by VendorRegistry.
        for (String name : VendorApi.PARAMETERS) {
            poller.templateParameter(name, "", "the vendor's API: " + name);
        }
        RouteDefinition route = poller.from("direct:vendor-poll-{{vendor}}")
                    .routeConfigurationId("vendor-poll-errors")
                    .routeProperty(VendorRegistry.VENDOR_PROPERTY, "{{vendor}}")
                    .routeProperty(VendorRegistry.URL_PROPERTY, "{{url}}")
                    .routeProperty(VendorRegistry.PERIOD_PROPERTY, "{{period}}")
                    .routeProperty(VendorRegistry.RATE_PROPERTY, "{{rateLimit}}")
                    .routeProperty(VendorRegistry.CONCURRENCY_PROPERTY, "{{concurrency}}")
                    .routeProperty(VendorRegistry.TIMEOUT_PROPERTY, "{{timeout}}")
                    .routeProperty(VendorRegistry.TOKEN_PROPERTY, "{{token}}")
                    .routeProperty(VendorRegistry.HEADERS_PROPERTY, "{{headers}}");
        // The API parameters are not copied into route properties: jq's braces ("{a: {b: 1}}") would be read
        // as property placeholders there and refuse the file. VendorRegistry reads them as the file gave them.
        route
                    .setProperty(CatalogReader.VENDOR, constant("{{vendor}}"))
                    .bean("catalogReader", "begin")
                    .loopDoWhile(exchangeProperty(CatalogReader.MORE))
                        // a vendor's Retry-After (on this poll's last page, or told by its lane): waited out here
                        .delay(method("catalogReader", "waitMillis")).id("retry-after-wait")
                        .removeHeaders("*")
                        .setHeader(Exchange.HTTP_METHOD, constant("GET"))
                        .setHeader("User-Agent", constant("order-aggregator/{{aggregator.instance}}"))
                        .bean("catalogReader", "request")
                        .bean("vendorRegistry", "authorize")
                        // The URL (credentials, query and all) is never the endpoint: the page's bare URL and
                        // query go in headers, so no secret is in an endpoint URI, a route dump or an error.
                        // 304: the vendor's answer to a conditional poll, nothing changed.
                        .choice()
                            // A vendor of its own (README "A vendor of its own"): its file's route fetches the
                            // page, however that vendor wants it, and answers it as HTTP would.
                            .when(exchangeProperty(CatalogReader.PAGE_ROUTE).isNotNull())
                                .bean("catalogReader", "toRoute")
                                .toD("${exchangeProperty." + CatalogReader.PAGE_ROUTE + "}").id("fetch-page-route")
                                .bean("catalogReader", "answered")
                            .otherwise()
                                .to("http://vendor-{{vendor}}?okStatusCodeRange=200-299,304,429,503").id("fetch-page")
                        .end()
                        .bean("catalogReader", "read")
                        // streaming: a bare array's envelopes are read from the answer as they are sent.
                        // A product that cannot be queued (broker away) ends the poll there, failed: without
                        // stopOnException the split went on after the error handler had handled it, and the
                        // poll was recorded complete with its products never queued; the next poll then
                        // delisted them all, stock 0 and every order 409 (PollDuringBrokerOutageIT).
                        .split(body()).streaming().stopOnException()
                            .marshal().json()
                            .removeHeaders("*")
                            .to(PUBLISH).id("publish-product")
                        .end()
                    .end()
                    .choice()
                        .when(exchangeProperty(CatalogReader.NOT_MODIFIED))
                            .log(LoggingLevel.DEBUG, "dev.aggregator.stock.poll", "Polled vendor {{vendor}}: not modified")
                        .otherwise()
                            .log(LoggingLevel.INFO, "dev.aggregator.stock.poll",
                                "Polled vendor {{vendor}}: ${exchangeProperty.catalogProducts} products in ${exchangeProperty.catalogPages} pages")
                    .end()
                    .bean("vendorStatus", "succeeded");

        // Quartz on the shared job store: one poll per period across all instances, never two at once (the
        // job is stateful and direct: runs the poll inside it). Added by PollTriggers once the schema exists,
        // because a Quartz endpoint reads its job-store tables as it starts: created with the pollers, it
        // failed the whole start-up while PostgreSQL was down.
        routeTemplate(PollTriggers.TEMPLATE)
                .templateParameter("vendor", null, "the vendor's name")
                .templateParameter("period", null, "how often to poll, in milliseconds")
                .from("quartz://" + PollTriggers.GROUP + "/{{vendor}}?trigger.repeatInterval={{period}}&trigger.repeatCount=-1"
                        + "&stateful=true&recoverableJob=true&usingFixedCamelContextName=true"
                        + "&triggerStartDelay={{aggregator.poll.initial-delay}}")
                    .to("direct:vendor-poll-{{vendor}}");

        for (VendorConfig vendor : vendors.configured()) {
            var instance = templatedRoute("vendor-poller")
                    .routeId("vendor-poller-" + vendor.name())
                    .parameter("vendor", vendor.name())
                    .parameter("url", vendor.url())
                    .parameter("rateLimit", vendor.rateLimit() == null ? "" : vendor.rateLimit().toString())
                    .parameter("concurrency", vendor.concurrency() == null ? "" : vendor.concurrency().toString())
                    .parameter("timeout", vendor.timeoutMillis() == null ? "" : vendor.timeoutMillis().toString())
                    .parameter("token", vendor.token() == null ? "" : vendor.token())
                    .parameter("headers", headerText(vendor));
            if (vendor.pollPeriodMillis() != null) {
                instance.parameter("period", vendor.pollPeriodMillis().toString());
            }
        }

        // Vendor files added to, changed in or deleted from routes/ while the service runs (VendorFiles).
        from("timer:vendor-files?period={{aggregator.vendors.scan-period-ms}}&delay={{aggregator.vendors.scan-period-ms}}")
                .routeId("vendor-files")
                .bean("vendorFiles", "scan");

        from("spring-rabbitmq:default?queues=" + QueueTopology.FROM_EXTERNAL
                + "&acknowledgeMode=AUTO&rejectAndDontRequeue=false&maximumRetryAttempts=1"
                + "&concurrentConsumers={{aggregator.stock.consumers}}&prefetchCount={{aggregator.stock.prefetch}}")
                .routeId("stock-upsert")
                .routeConfigurationId("stock-sync-errors")
                .bean("productNormalizer", "normalizeBatch")
                .bean("schema", "requireReady")
                .filter(simple("${exchangeProperty.rows} > 0"))
                    .setProperty(ROWS, body())
                    // One statement per message: the rows are committed before the message is acknowledged.
                    .bean("productNormalizer", "recordset")
                    .to("sql:classpath:sql/upsert-products.sql").id("upsert-products")
                    .bean("metrics", "productsSynced(${exchangeProperty.vendor}, ${exchangeProperty.rows})")
                .end()
                .to("direct:stock-reject-all");

        // PostgreSQL refused the message's one statement for one row's value, which no rule of the normalizer
        // foresaw (stock-sync-errors sends a DataIntegrityViolationException here). The whole message, up to 500
        // products, used to be dead-lettered and the next poll delisted them all (issue 25): instead each row is
        // upserted on its own, and a row refused again is dead-lettered alone.
        from("direct:stock-upsert-singly")
                .routeId("stock-upsert-singly")
                .split(exchangeProperty(ROWS)).stopOnException()
                    .to("direct:stock-upsert-one")
                .end()
                .to("direct:stock-reject-all");

        // doTry, not the route's error handler: PostgreSQL's refusal is this row's answer and the split goes on
        // (a failure handled by an error handler would stop it); database trouble is not retried row by row but
        // ends the split, and the broker redelivers the message, whose upsert then retries as usual.
        from("direct:stock-upsert-one")
                .routeId("stock-upsert-one")
                .setProperty(ROW, body())
                .bean("productNormalizer", "recordsetOfOne")
                .doTry()
                    .to("sql:classpath:sql/upsert-products.sql").id("upsert-product")
                    .bean("metrics", "productsSynced(${exchangeProperty.vendor}, 1)")
                .doCatch(DataIntegrityViolationException.class)
                    .setBody(method("productNormalizer", "refused(${exchangeProperty." + ROW + "}, ${exception})"))
                    .to("direct:stock-reject")
                .end();

        // The products of a message that could not be stored: each dead-lettered alone, the rest of the page kept.
        from("direct:stock-reject-all")
                .routeId("stock-reject-all")
                .split(exchangeProperty(ProductNormalizer.REJECTED))
                    .to("direct:stock-reject")
                .end()
                // every product of the message stored or dead-lettered: counted for its poll's delisting
                .bean("pollProgress", "applied");

        // A product its batch could not store: dead-lettered alone, so the rest of the page is kept.
        from("direct:stock-reject")
                .routeId("stock-reject")
                .setHeader(DeadLetterHeaders.REASON, simple("${body.reason()}"))
                .setBody(simple("${body.envelope()}"))
                .to("direct:stock-dead-letter-publish");

        from("direct:stock-dead-letter")
                .routeId("stock-dead-letter")
                .setHeader(DeadLetterHeaders.REASON, simple("${exception.message}"))
                .to("direct:stock-dead-letter-publish");

        from("direct:stock-dead-letter-publish")
                .routeId("stock-dead-letter-publish")
                .setProperty(DeadLetterRoutes.QUEUE, constant(QueueTopology.FROM_EXTERNAL_DLQ))
                .setProperty(DeadLetterRoutes.FROM_QUEUE, constant(QueueTopology.FROM_EXTERNAL))
                .to("direct:dead-letter");
    }
}
