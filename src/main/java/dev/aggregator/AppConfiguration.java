package dev.aggregator;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Function;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aggregator.api.AdminGuard;
import dev.aggregator.api.HttpGate;
import dev.aggregator.api.ProblemResponder;
import dev.aggregator.api.ProductListing;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.config.ClusteredScheduler;
import dev.aggregator.config.QueuePublisher;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.config.Resources;
import dev.aggregator.config.SchemaMigrator;
import dev.aggregator.config.Settings;
import dev.aggregator.config.SettingsLoader;
import dev.aggregator.delivery.DeadLetterRelay;
import dev.aggregator.delivery.LaneDefaults;
import dev.aggregator.delivery.LaneRouter;
import dev.aggregator.delivery.Lanes;
import dev.aggregator.delivery.OrderDelivery;
import dev.aggregator.demo.DemoVendor;
import dev.aggregator.ops.ConnectivityMonitor;
import dev.aggregator.ops.DeadLetters;
import dev.aggregator.ops.HealthAnswers;
import dev.aggregator.ops.HealthService;
import dev.aggregator.ops.OpsOverview;
import dev.aggregator.ops.Reconciler;
import dev.aggregator.ops.ServiceHealthChecks;
import dev.aggregator.ops.TrendSampler;
import dev.aggregator.ops.Trends;
import dev.aggregator.ops.VendorPreview;
import dev.aggregator.ops.VendorStatus;
import dev.aggregator.order.OrderCounts;
import dev.aggregator.order.OrderIntake;
import dev.aggregator.order.OrderQueries;
import dev.aggregator.order.OrderReplay;
import dev.aggregator.order.OrderRetention;
import dev.aggregator.order.OutboxPublisher;
import dev.aggregator.stock.CatalogReader;
import dev.aggregator.stock.PollTriggers;
import dev.aggregator.stock.ProductNormalizer;
import dev.aggregator.support.Metrics;
import dev.aggregator.support.SnapshotCache;
import dev.aggregator.vendor.VendorFiles;
import dev.aggregator.vendor.VendorHttpClient;
import dev.aggregator.vendor.VendorRegistry;
import dev.aggregator.webhook.FailedWebhooks;
import dev.aggregator.webhook.WebhookBackoff;
import dev.aggregator.webhook.WebhookOutbox;
import dev.aggregator.webhook.WebhookRelay;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.Configuration;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.support.JdbcTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The one place where the service is wired: the shared resources (database pool and schema, broker
 * connection with its queues, JSON, metrics, the vendors), then each flow's beans in the order they
 * depend on each other: stock sync, order intake, delivery, operations.
 *
 * Why registry.bind in one configure() and not a @BindToRegistry method per bean: Camel calls those
 * methods in reflection order and resolves their parameters from what is bound at that moment, and
 * these beans depend on each other (the outbox on the topology, the lanes on the vendors, ops on both).
 * Every default is in application.properties; the fields below only read it.
 */
@Configuration
public class AppConfiguration implements CamelConfiguration {

    private static final org.slf4j.Logger RABBIT_LOG = org.slf4j.LoggerFactory.getLogger("dev.aggregator.rabbitmq");

    @PropertyInject("aggregator.db.pool-size")
    private int dbPoolSize;
    @PropertyInject("aggregator.db.connect-timeout-ms")
    private long dbConnectTimeout;
    @PropertyInject("aggregator.db.retry-ms")
    private long dbRetryMillis;
    @PropertyInject("aggregator.rabbitmq.quorum-queues")
    private boolean quorumQueues;
    @PropertyInject("aggregator.rabbitmq.dispatch-threads")
    private int amqpThreads;
    @PropertyInject("aggregator.rabbitmq.connect-timeout-ms")
    private long rabbitConnectTimeoutMillis;
    @PropertyInject("aggregator.demo.products-per-vendor")
    private int demoProductsPerVendor;
    @PropertyInject("aggregator.demo.stock")
    private int demoStock;
    @PropertyInject("aggregator.stock.batch-size")
    private int stockBatchSize;
    @PropertyInject("aggregator.poll.page-size")
    private int pollPageSize;
    @PropertyInject("aggregator.outbox.grace-seconds")
    private double outboxGraceSeconds;
    @PropertyInject("aggregator.outbox.batch")
    private int outboxBatch;
    @PropertyInject("aggregator.outbox.confirm-timeout-ms")
    private long confirmTimeoutMillis;
    @PropertyInject("aggregator.orders.retention-days")
    private int retentionDays;
    @PropertyInject("aggregator.delivery.worker-threads")
    private int deliveryWorkers;
    @PropertyInject("aggregator.delivery.dead-letter-grace-seconds")
    private double deadLetterGraceSeconds;
    @PropertyInject("aggregator.reconcile.pending-after-seconds")
    private double reconcilePendingAfterSeconds;
    @PropertyInject("aggregator.ops.trends-period-ms")
    private long trendsPeriodMillis;
    @PropertyInject("aggregator.ops.trends-window-seconds")
    private long trendsWindowSeconds;
    @PropertyInject("camel.component.http.connect-timeout")
    private long pollConnectTimeout;
    @PropertyInject("camel.component.http.so-timeout")
    private long pollSocketTimeout;
    @PropertyInject("aggregator.api.cache-bytes")
    private long apiCacheBytes;
    @PropertyInject("aggregator.poll.retry-after-max-ms")
    private long pollRetryAfterMaxMillis;
    @PropertyInject("aggregator.vendors.directory")
    private String vendorDirectory;
    @PropertyInject("aggregator.instance")
    private String instance;
    @PropertyInject("aggregator.webhooks.concurrency")
    private int webhookConcurrency;
    @PropertyInject("aggregator.webhooks.timeout-ms")
    private long webhookTimeoutMillis;
    @PropertyInject("aggregator.webhooks.backoff-first-ms")
    private long webhookBackoffFirstMillis;
    @PropertyInject("aggregator.webhooks.backoff-max-ms")
    private long webhookBackoffMaxMillis;
    @PropertyInject("aggregator.webhooks.max-age-seconds")
    private long webhookMaxAgeSeconds;
    @PropertyInject("aggregator.tracing")
    private boolean tracing;

    /** What every flow shares. */
    private record Shared(Settings settings, ObjectMapper json, HikariDataSource dataSource, SchemaMigrator schema,
                          CachingConnectionFactory rabbit, QueueTopology topology, NamedParameterJdbcTemplate jdbc,
                          TransactionTemplate tx, RabbitTemplate rabbitTemplate, Metrics metrics,
                          VendorRegistry vendors, SnapshotCache answers, QueuePublisher publisher, WebhookOutbox webhooks) {
    }

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = SettingsLoader.load(context);
        // The poller template's default period, in the milliseconds Quartz takes.
        context.getPropertiesComponent().addInitialProperty("aggregator.poll.period-ms", String.valueOf(settings.pollPeriodMillis()));
        Resources resources = new Resources();
        context.addService(resources, true, true);
        traces(context, resources);

        Shared shared = shared(context, settings, resources);
        // 503 with Retry-After, not 404, while the REST routes are not there yet or no longer
        context.addStartupListener(new HttpGate(shared.json()));
        VendorFiles files = stockSync(context, shared);
        Orders orders = orders(context, shared, resources);
        Lanes lanes = delivery(context, shared);
        operations(context, shared, orders, lanes, files);

        ClusteredScheduler.configure(context, shared.dataSource());
        ScheduledExecutorService migrations = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "schema-migration");
        // While PostgreSQL is away: the migration retries, then the poll triggers wait for it.
        context.addStartupListener(new PollTriggers(shared.schema(), shared.vendors(), migrations, dbRetryMillis, settings.pollPeriodMillis()));
        shared.schema().start(migrations, dbRetryMillis);
    }

    /** Traces when an OTLP endpoint is set or aggregator.tracing is on (Tracing); before any route exists. */
    private void traces(CamelContext context, Resources resources) {
        if (!dev.aggregator.support.Tracing.wanted(tracing, System::getenv)) {
            return;
        }
        // otel.* keys from application.properties, and the overrides a test (or embedding code) gave Camel Main
        Map<String, String> otel = new HashMap<>();
        org.apache.camel.spi.PropertiesComponent pc = context.getPropertiesComponent();
        pc.loadProperties(k -> k.startsWith("otel.")).forEach((k, v) -> otel.put(String.valueOf(k), String.valueOf(v)));
        if (pc instanceof org.apache.camel.component.properties.PropertiesComponent impl && impl.getOverrideProperties() != null) {
            impl.getOverrideProperties().forEach((k, v) -> {
                if (String.valueOf(k).startsWith("otel.")) {
                    otel.put(String.valueOf(k), String.valueOf(v));
                }
            });
        }
        io.opentelemetry.sdk.OpenTelemetrySdk sdk = dev.aggregator.support.Tracing.start(context, System::getenv, otel);
        // Tracked first, so closed last: the spans of the shutdown itself still leave.
        resources.track((AutoCloseable) () -> {
            dev.aggregator.support.Tracing.stop();
            sdk.close();
        });
    }

    private Shared shared(CamelContext context, Settings settings, Resources resources) {
        Registry registry = context.getRegistry();
        ObjectMapper json = new ObjectMapper()
                .registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        HikariDataSource dataSource = resources.track(dataSource(settings.database()));
        SchemaMigrator schema = new SchemaMigrator(dataSource, settings.database().address());

        Map<String, Object> queueArgs = new HashMap<>();
        if (quorumQueues) {
            queueArgs.put("x-queue-type", "quorum");
        }
        QueueTopology topology = new QueueTopology(queueArgs);
        CachingConnectionFactory rabbit = rabbit(settings, topology);
        topology.connectWith(rabbit);
        // Listener code runs on the AMQP client's dispatch threads, 2 per core by default: that, not the
        // consumer counts, capped delivery at 4 orders in flight on this machine. One thread per consumer.
        rabbit.setExecutor(context.getExecutorServiceManager().newFixedThreadPool(this, "amqp-dispatch", amqpThreads));
        resources.track(rabbit::destroy);

        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        // JdbcTransactionManager: a commit or rollback that fails with PostgreSQL's SQLState is translated like
        // any statement (e.g. DataAccessResourceFailureException); one on a connection the pool already closed
        // (no SQLState) stays a TransactionSystemException, which DatabaseUnavailable counts as the database away.
        TransactionTemplate tx = new TransactionTemplate(new JdbcTransactionManager(dataSource));
        Metrics metrics = new Metrics(registry.lookupByNameAndType("metricsRegistry", PrometheusMeterRegistry.class));
        VendorRegistry vendors = new VendorRegistry(context, settings.vendors());
        // Every log line written hides the secrets the service knows, the libraries' included (SecretMasking).
        java.util.function.Consumer<java.util.List<dev.aggregator.config.VendorConfig>> secrets = all -> {
            java.util.List<String> values = new java.util.ArrayList<>();
            if (settings.adminToken() != null) {
                values.add(settings.adminToken());
            }
            if (settings.webhooks().secret() != null) {
                values.add(settings.webhooks().secret());
            }
            all.forEach(v -> values.addAll(dev.aggregator.vendor.VendorAccess.of(v).secrets()));
            dev.aggregator.support.SecretMasking.secrets(values);
        };
        secrets.accept(settings.vendors());
        vendors.onChange(secrets);

        registry.bind("settings", settings);
        registry.bind("json", json);
        registry.bind("dataSource", dataSource);
        registry.bind("schema", schema);
        registry.bind("rabbitConnectionFactory", rabbit);
        registry.bind("metrics", metrics);
        registry.bind("vendorRegistry", vendors);
        registry.bind("vendorHttpClient", new VendorHttpClient());
        // The pollers' connection pool, the HTTP component's own: left to the component, each endpoint got
        // the one pool it made and closed it when it stopped, so a vendor file changed or deleted at run
        // time broke every other vendor's polls ("Connection pool shut down").
        registry.bind("vendorConnectionManager", resources.track(VendorHttpClient.connectionManager(pollConnectTimeout, pollSocketTimeout)));
        registry.bind("adminGuard", new AdminGuard(settings.adminToken()));
        registry.bind("problemResponder", new ProblemResponder(json, schema));
        // Rendered GET /products and /orders answers, kept while PostgreSQL's snapshot shows no commit.
        SnapshotCache answers = new SnapshotCache(jdbc.getJdbcTemplate(), apiCacheBytes);
        registry.bind("productListing", new ProductListing(jdbc, answers));
        registry.bind("productChanges", new dev.aggregator.api.ProductChanges(jdbc));
        RabbitTemplate rabbitTemplate = new RabbitTemplate(rabbit);
        WebhookOutbox webhooks = new WebhookOutbox(jdbc, settings.webhooks());
        registry.bind("webhookOutbox", webhooks);
        // The relay's HTTP client runs on threads of its own: a receiver's slowness stays with the webhooks.
        registry.bind("webhookRelay", new WebhookRelay(jdbc, json, settings.webhooks().secret(),
                new WebhookBackoff(Duration.ofMillis(webhookBackoffFirstMillis), Duration.ofMillis(webhookBackoffMaxMillis),
                        Duration.ofSeconds(webhookMaxAgeSeconds)),
                Duration.ofMillis(webhookTimeoutMillis), webhookConcurrency,
                context.getExecutorServiceManager().newFixedThreadPool(this, "webhook-sender", 2), instance));
        return new Shared(settings, json, dataSource, schema, rabbit, topology, jdbc, tx, rabbitTemplate,
                metrics, vendors, answers, new QueuePublisher(rabbitTemplate, topology), webhooks);
    }

    private VendorFiles stockSync(CamelContext context, Shared s) throws Exception {
        Registry registry = context.getRegistry();
        // A poll's fetch time and an order's confirm time are compared with each other (upsert-products.sql),
        // and different instances take them: both come from PostgreSQL's clock, never an instance's own.
        registry.bind("catalogReader", new CatalogReader(s.json(), stockBatchSize, pollPageSize,
                () -> s.jdbc().getJdbcTemplate().queryForObject("SELECT clock_timestamp()", Timestamp.class).toInstant(),
                s.vendors()::access, (vendor, key) -> validators(s.jdbc(), vendor, key)).obeyingRetryAfter(s.vendors(), pollRetryAfterMaxMillis));
        // Vendor files in routes/: loaded once Camel runs (before the lanes and triggers read the vendors), then followed.
        VendorFiles files = new VendorFiles(context, Path.of(vendorDirectory), ".yaml", s.vendors());
        registry.bind("vendorFiles", files);
        context.addStartupListener(files);
        registry.bind("productNormalizer", new ProductNormalizer(s.json()));
        dev.aggregator.stock.PollProgress progress = new dev.aggregator.stock.PollProgress(s.jdbc(), s.tx());
        registry.bind("pollProgress", progress);
        // called once every vendor is known (VendorFiles' first scan refreshes the registry), then on every change
        s.vendors().onChange(progress::vendorsNow);
        if (s.settings().demoVendors()) {
            registry.bind("demoVendorA", DemoVendor.load("vendorA", "demo/vendorA-products.json", s.json(), demoProductsPerVendor, demoStock));
            registry.bind("demoVendorB", DemoVendor.load("vendorB", "demo/vendorB-products.json", s.json(), demoProductsPerVendor, demoStock));
        }
        return files;
    }

    /** The last complete poll's ETag and Last-Modified; none while the database cannot say. */
    private static CatalogReader.Validators validators(NamedParameterJdbcTemplate jdbc, String vendor, String key) {
        try {
            return jdbc.query(ClasspathText.load("sql/stock/poll-validators.sql"), Map.of("vendor", vendor, "validatorKey", key),
                    rs -> rs.next() ? new CatalogReader.Validators(rs.getString("etag"), rs.getString("last_modified"))
                            : CatalogReader.Validators.NONE);
        } catch (RuntimeException e) {
            return CatalogReader.Validators.NONE; // an unconditional poll: its own failure says what is wrong
        }
    }

    /** What the order flow gives operations: the outbox (replays) and the order counts (overview). */
    private record Orders(OutboxPublisher outbox, OrderCounts counts) {
    }

    private Orders orders(CamelContext context, Shared s, Resources resources) {
        Registry registry = context.getRegistry();
        OutboxPublisher outbox = new OutboxPublisher(s.publisher(), s.jdbc(), s.tx(), s.topology(),
                confirmTimeoutMillis, outboxGraceSeconds, outboxBatch);
        registry.bind("outboxPublisher", outbox);
        outbox.start(context.getExecutorServiceManager().newSingleThreadExecutor(this, "outbox-publisher"));
        resources.track(outbox::stop); // lets its thread end at shutdown instead of being forced after 10 s
        OrderCounts counts = new OrderCounts(s.jdbc());
        registry.bind("orderCounts", counts);
        OrderIntake intake = new OrderIntake(s.jdbc(), s.tx(), outbox, s.vendors(), s.json(), s.metrics(), s.webhooks());
        registry.bind("orderIntake", intake);
        registry.bind("placeOrder", (org.apache.camel.Processor) intake::take);
        OrderQueries queries = new OrderQueries(s.jdbc(), counts, s.answers());
        registry.bind("orderQueries", queries);
        dev.aggregator.order.CartIntake carts = new dev.aggregator.order.CartIntake(s.jdbc(), s.tx(), outbox, s.vendors(), s.json(), s.metrics());
        registry.bind("cartIntake", carts);
        registry.bind("placeCart", (org.apache.camel.Processor) carts::take);
        registry.bind("cartQueries", new dev.aggregator.order.CartQueries(s.jdbc(), s.json()));
        registry.bind("orderCancel", new dev.aggregator.order.OrderCancel(s.jdbc(), s.tx(), queries, s.metrics(), s.webhooks()));
        registry.bind("orderRetention", new OrderRetention(s.jdbc(), retentionDays));
        return new Orders(outbox, counts);
    }

    private Lanes delivery(CamelContext context, Shared s) throws Exception {
        Registry registry = context.getRegistry();
        Lanes lanes = new Lanes(laneDefaults(context, s.settings()), s.vendors(), s.topology(), s.jdbc(), s.metrics());
        registry.bind("lanes", lanes);
        context.addStartupListener(lanes);
        registry.bind("orderCalls", new dev.aggregator.delivery.OrderCalls(s.jdbc(), lanes));
        registry.bind("orderDelivery", new OrderDelivery(s.jdbc(), s.tx(), s.vendors(), s.json(), s.metrics(), s.webhooks()));
        // Database work after a vendor answered (confirm, ack): a vendor's wait never holds one of these.
        registry.bind(Lanes.WORKERS, context.getExecutorServiceManager().newFixedThreadPool(this, "delivery-worker", deliveryWorkers));
        registry.bind("laneRouter", new LaneRouter(s.json(), s.vendors(), s.topology(), s.publisher(), confirmTimeoutMillis));
        registry.bind("deadLetterRelay", new DeadLetterRelay(s.rabbitTemplate(), s.jdbc(), s.tx(), deadLetterGraceSeconds));
        return lanes;
    }

    private void operations(CamelContext context, Shared s, Orders orders, Lanes lanes, VendorFiles files) {
        Registry registry = context.getRegistry();
        HealthService health = new HealthService(s.dataSource(), s.schema(), s.rabbit(), s.settings(), s.json());
        VendorStatus vendorStatus = new VendorStatus(s.jdbc(), s.metrics(), s.vendors(),
                registry.lookupByNameAndType("pollProgress", dev.aggregator.stock.PollProgress.class));
        health.vendorStates(() -> VendorStatus.withPolls(lanes.snapshot(), vendorStatus.lastPolls()));
        // a file that cannot be used is named here, and one whose mapping yields nothing; never DOWN for it
        java.util.function.Supplier<Map<String, Object>> fileStates = () -> VendorStatus.withMappingErrors(files.status(), vendorStatus.lastPolls());
        health.vendorFiles(fileStates);
        registry.bind("vendorPreview", new VendorPreview(s.vendors(), files,
                registry.lookupByNameAndType("orderDelivery", OrderDelivery.class), s.json(), pollPageSize, pollSocketTimeout));
        registry.bind("health", health);
        registry.bind("databaseHealthCheck", new ServiceHealthChecks.Dependency("database", health::database));
        registry.bind("brokerHealthCheck", new ServiceHealthChecks.Dependency("broker", health::broker));
        registry.bind("healthAnswers", new HealthAnswers(s.json()));
        registry.bind("connectivityMonitor", new ConnectivityMonitor(health));
        registry.bind("vendorStatus", vendorStatus);
        DeadLetters deadLetters = new DeadLetters(s.rabbitTemplate(), new OrderReplay(s.jdbc(), s.tx(), orders.outbox()));
        registry.bind("deadLetters", deadLetters);
        FailedWebhooks failedWebhooks = new FailedWebhooks(s.jdbc());
        registry.bind("failedWebhooks", failedWebhooks);
        OpsOverview overview = new OpsOverview(s.jdbc(), deadLetters, s.metrics(), lanes, orders.counts(), fileStates,
                failedWebhooks::counts);
        registry.bind("opsOverview", overview);
        Trends trends = new Trends(java.time.Duration.ofSeconds(trendsWindowSeconds), java.time.Duration.ofMillis(trendsPeriodMillis));
        s.metrics().observePuts(trends::putTook);
        registry.bind("trends", trends);
        registry.bind("dashboardAssets", new dev.aggregator.ops.DashboardAssets());
        registry.bind("trendSampler", new TrendSampler(trends, s.metrics(), lanes, overview));
        registry.bind("reconciler", new Reconciler(s.jdbc(), s.tx(), s.metrics(), s.topology(), reconcilePendingAfterSeconds));
    }

    /** The delivery settings, read from application.properties (env on top), where their defaults are. */
    private static LaneDefaults laneDefaults(CamelContext context, Settings settings) {
        Function<String, String> p = key -> context.resolvePropertyPlaceholders("{{aggregator.delivery." + key + "}}");
        return new LaneDefaults(settings.vendorRateLimit(),
                Settings.parseConcurrency("aggregator.delivery.concurrency", p.apply("concurrency")),
                Long.parseLong(p.apply("timeout-ms")), Long.parseLong(p.apply("connect-timeout-ms")),
                Integer.parseInt(p.apply("max-attempts")), Long.parseLong(p.apply("max-wait-seconds")) * 1000,
                Long.parseLong(p.apply("breaker.recheck-ms")), Integer.parseInt(p.apply("breaker.window")),
                Integer.parseInt(p.apply("breaker.minimum-calls")), Float.parseFloat(p.apply("breaker.failure-rate")),
                Long.parseLong(p.apply("breaker.open-ms")), Long.parseLong(p.apply("breaker.slow-call-ms")),
                Long.parseLong(p.apply("lane-check-ms")), Long.parseLong(p.apply("touch-held-ms")),
                Long.parseLong(p.apply("retry-after-max-ms")));
    }

    private HikariDataSource dataSource(Settings.Database db) {
        HikariConfig config = new HikariConfig();
        config.setPoolName("aggregator-db");
        config.setJdbcUrl(db.jdbcUrl());
        if (db.user() != null) config.setUsername(db.user());
        if (db.password() != null) config.setPassword(db.password());
        config.setMaximumPoolSize(dbPoolSize);
        config.setConnectionTimeout(Math.max(250, dbConnectTimeout));
        config.setValidationTimeout(Math.max(250, Math.min(dbConnectTimeout, 1000)));
        // Start even when PostgreSQL is down: the pool connects lazily and /health reports it.
        config.setInitializationFailTimeout(-1);
        config.addDataSourceProperty("connectTimeout", String.valueOf(Math.max(1, dbConnectTimeout / 1000)));
        config.addDataSourceProperty("reWriteBatchedInserts", "true");
        return new HikariDataSource(config);
    }

    private CachingConnectionFactory rabbit(Settings settings, QueueTopology topology) {
        CachingConnectionFactory factory = new CachingConnectionFactory(URI.create(settings.rabbitUri()));
        factory.setConnectionNameStrategy(cf -> "order-aggregator");
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setConnectionTimeout((int) rabbitConnectTimeoutMillis);
        factory.setChannelCacheSize(50);
        factory.addConnectionListener(topology);
        // The AMQP client warns of every connection attempt the broker drops: ~250 lines per instance in a
        // 10 s outage of the fault soak. ConnectivityMonitor names the broker once when it goes and comes back.
        factory.getRabbitConnectionFactory().setExceptionHandler(new com.rabbitmq.client.impl.ForgivingExceptionHandler() {
            @Override
            public void handleUnexpectedConnectionDriverException(com.rabbitmq.client.Connection conn, Throwable exception) {
                RABBIT_LOG.debug("RabbitMQ connection dropped: {}", exception.toString());
            }
        });
        return factory;
    }
}
