package dev.aggregator;

import dev.aggregator.config.*;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.aggregator.ops.ConnectivityMonitor;
import dev.aggregator.ops.DeadLetters;
import dev.aggregator.ops.HealthService;
import dev.aggregator.support.Metrics;
import dev.aggregator.ops.OpsOverview;
import dev.aggregator.ops.Reconciler;
import dev.aggregator.ops.VendorStatus;
import dev.aggregator.order.OrderReplay;
import dev.aggregator.stock.CatalogReader;
import dev.aggregator.stock.ProductNormalizer;
import dev.aggregator.demo.DemoVendor;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.CamelConfiguration;
import org.apache.camel.CamelContext;
import org.apache.camel.PropertyInject;
import org.apache.camel.spi.Registry;
import org.apache.camel.Configuration;
import dev.aggregator.delivery.LaneDefaults;
import dev.aggregator.delivery.LaneRouter;
import dev.aggregator.delivery.Lanes;
import dev.aggregator.delivery.OrderDelivery;
import dev.aggregator.order.OrderIntake;
import dev.aggregator.order.OrderQueries;
import dev.aggregator.order.OutboxPublisher;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Wires the service's shared resources from the checked settings: the database pool and schema,
 * the broker connection (publisher confirms on) with its queues, and the vendor registry.
 */
@Configuration
public class AppConfiguration implements CamelConfiguration {

    @PropertyInject("aggregator.db.pool-size") // default: application.properties
    private int dbPoolSize;

    @PropertyInject("aggregator.db.connect-timeout-ms") // default: application.properties
    private long dbConnectTimeout;

    @PropertyInject("aggregator.rabbitmq.quorum-queues") // default: application.properties
    private boolean quorumQueues;

    @PropertyInject("aggregator.demo.products-per-vendor") // default: application.properties
    private int demoProductsPerVendor;

    @PropertyInject("aggregator.demo.stock") // default: application.properties
    private int demoStock;

    @PropertyInject("aggregator.outbox.grace-seconds") // default: application.properties
    private double outboxGraceSeconds;

    @PropertyInject("aggregator.outbox.batch") // default: application.properties
    private int outboxBatch;

    @PropertyInject("aggregator.reconcile.pending-after-seconds") // default: application.properties
    private double reconcilePendingAfterSeconds;

    @PropertyInject("aggregator.stock.batch-size") // default: application.properties
    private int stockBatchSize;

    @PropertyInject("aggregator.poll.page-size") // default: application.properties
    private int pollPageSize;

    @PropertyInject("aggregator.rabbitmq.dispatch-threads") // default: application.properties
    private int amqpThreads;

    @PropertyInject("aggregator.outbox.confirm-timeout-ms") // default: application.properties
    private long confirmTimeoutMillis;

    @PropertyInject("aggregator.db.retry-ms") // default: application.properties
    private long dbRetryMillis;

    @PropertyInject("aggregator.api.cache-bytes") // default: application.properties
    private long apiCacheBytes;

    @PropertyInject("aggregator.rabbitmq.connect-timeout-ms") // default: application.properties
    private long rabbitConnectTimeoutMillis;

    @Override
    public void configure(CamelContext context) throws Exception {
        Settings settings = SettingsLoader.load(context);
        // The poller template's default period, in the milliseconds Quartz takes.
        context.getPropertiesComponent().addInitialProperty("aggregator.poll.period-ms", String.valueOf(settings.pollPeriodMillis()));
        Registry registry = context.getRegistry();
        Resources resources = new Resources();
        context.addService(resources, true, true);

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

        registry.bind("settings", settings);
        registry.bind("json", json);
        registry.bind("dataSource", dataSource);
        registry.bind("schema", schema);
        registry.bind("rabbitConnectionFactory", rabbit);
        registry.bind("vendorHttpClient", new dev.aggregator.vendor.VendorHttpClient());
        registry.bind("adminGuard", new dev.aggregator.api.AdminGuard(settings.adminToken()));
        registry.bind("vendorRegistry", new VendorRegistry(context, settings.vendors()));
        HealthService health = new HealthService(dataSource, schema, rabbit, settings, json);
        registry.bind("health", health);
        registry.bind("databaseHealthCheck", new dev.aggregator.ops.ServiceHealthChecks.Dependency("database", health::database));
        registry.bind("brokerHealthCheck", new dev.aggregator.ops.ServiceHealthChecks.Dependency("broker", health::broker));
        registry.bind("healthAnswers", new dev.aggregator.ops.HealthAnswers(json));
        registry.bind("problemResponder", new dev.aggregator.api.ProblemResponder(json));
        registry.bind("connectivityMonitor", new ConnectivityMonitor(health));
        // A poll's fetch time and an order's confirm time are compared with each other (upsert-products.sql),
        // and different instances take them: both come from PostgreSQL's clock, never an instance's own.
        NamedParameterJdbcTemplate jdbc = new NamedParameterJdbcTemplate(dataSource);
        dev.aggregator.support.SnapshotCache answers = new dev.aggregator.support.SnapshotCache(jdbc.getJdbcTemplate(), apiCacheBytes);
        registry.bind("productListing", new dev.aggregator.api.ProductListing(jdbc, answers));
        registry.bind("catalogReader", new CatalogReader(json, stockBatchSize, pollPageSize,
                () -> jdbc.getJdbcTemplate().queryForObject("SELECT clock_timestamp()", java.sql.Timestamp.class).toInstant()));
        registry.bind("productNormalizer", new ProductNormalizer(json));
        if (settings.demoVendors()) {
            registry.bind("demoVendorA", DemoVendor.load("vendorA", "demo/vendorA-products.json", json, demoProductsPerVendor, demoStock));
            registry.bind("demoVendorB", DemoVendor.load("vendorB", "demo/vendorB-products.json", json, demoProductsPerVendor, demoStock));
        }

        TransactionTemplate tx = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        RabbitTemplate rabbitTemplate = new RabbitTemplate(rabbit);
        VendorRegistry vendorRegistry = registry.lookupByNameAndType("vendorRegistry", VendorRegistry.class);
        OutboxPublisher outbox = new OutboxPublisher(rabbitTemplate, jdbc, tx, topology, confirmTimeoutMillis, outboxGraceSeconds, outboxBatch);
        registry.bind("outboxPublisher", outbox);
        outbox.start(context.getExecutorServiceManager().newSingleThreadExecutor(this, "outbox-publisher"));
        resources.track(outbox::stop); // lets its thread end at shutdown instead of being forced after 10 s
        Metrics metrics = new Metrics(registry.lookupByNameAndType("metricsRegistry",
                io.micrometer.prometheusmetrics.PrometheusMeterRegistry.class));
        registry.bind("metrics", metrics);
        registry.bind("orderIntake", new OrderIntake(jdbc, tx, outbox, vendorRegistry, json, metrics));
        registry.bind("orderDelivery", new OrderDelivery(jdbc, tx, vendorRegistry, json, metrics));
        Lanes lanes = new Lanes(laneDefaults(context, settings), vendorRegistry, topology, jdbc, metrics);
        registry.bind("lanes", lanes);
        // Database work after a vendor answered (confirm, ack): a vendor's wait never holds one of these.
        registry.bind(Lanes.WORKERS, context.getExecutorServiceManager().newFixedThreadPool(this, "delivery-worker",
                Integer.parseInt(context.resolvePropertyPlaceholders("{{aggregator.delivery.worker-threads}}"))));
        registry.bind("laneRouter", new LaneRouter(json, vendorRegistry, topology));
        registry.bind("deadLetterRelay", new dev.aggregator.delivery.DeadLetterRelay(rabbitTemplate, jdbc, tx,
                Double.parseDouble(context.resolvePropertyPlaceholders("{{aggregator.delivery.dead-letter-grace-seconds}}"))));
        context.addStartupListener(lanes);
        dev.aggregator.order.OrderCounts orderCounts = new dev.aggregator.order.OrderCounts(jdbc);
        registry.bind("orderQueries", new OrderQueries(jdbc, orderCounts, answers));
        registry.bind("orderRetention", new dev.aggregator.order.OrderRetention(jdbc,
                Integer.parseInt(context.resolvePropertyPlaceholders("{{aggregator.orders.retention-days}}"))));
        registry.bind("vendorStatus", new VendorStatus(jdbc, metrics));
        DeadLetters deadLetters = new DeadLetters(rabbitTemplate, new OrderReplay(jdbc, tx, outbox));
        registry.bind("deadLetters", deadLetters);
        registry.bind("opsOverview", new OpsOverview(jdbc, deadLetters, metrics, lanes, orderCounts));
        health.vendorStates(lanes::snapshot);
        registry.bind("reconciler", new Reconciler(jdbc, tx, metrics, reconcilePendingAfterSeconds));

        ClusteredScheduler.configure(context, dataSource);

        ScheduledExecutorService migrations = context.getExecutorServiceManager()
                .newSingleThreadScheduledExecutor(this, "schema-migration");
        long retryMillis = dbRetryMillis; // while PostgreSQL is away: the migration, then the poll triggers
        context.addStartupListener(new dev.aggregator.stock.PollTriggers(schema, vendorRegistry, migrations, retryMillis));
        schema.start(migrations, retryMillis);
    }

    /** The delivery settings, read from application.properties (env on top), where their defaults are. */
    private static LaneDefaults laneDefaults(CamelContext context, Settings settings) {
        java.util.function.Function<String, String> p = key -> context.resolvePropertyPlaceholders("{{aggregator.delivery." + key + "}}");
        return new LaneDefaults(settings.vendorRateLimit(),
                Settings.parseConcurrency("aggregator.delivery.concurrency", p.apply("concurrency")),
                Long.parseLong(p.apply("timeout-ms")), Long.parseLong(p.apply("connect-timeout-ms")),
                Integer.parseInt(p.apply("max-attempts")), Long.parseLong(p.apply("max-wait-seconds")) * 1000,
                Long.parseLong(p.apply("breaker.recheck-ms")), Integer.parseInt(p.apply("breaker.window")),
                Integer.parseInt(p.apply("breaker.minimum-calls")), Float.parseFloat(p.apply("breaker.failure-rate")),
                Long.parseLong(p.apply("breaker.open-ms")));
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
        CachingConnectionFactory factory = new CachingConnectionFactory(java.net.URI.create(settings.rabbitUri()));
        factory.setConnectionNameStrategy(cf -> "order-aggregator");
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        factory.setConnectionTimeout((int) rabbitConnectTimeoutMillis);
        factory.setChannelCacheSize(50);
        factory.addConnectionListener(topology);
        return factory;
    }
}
