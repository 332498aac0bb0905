package dev.aggregator.support;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * The product's own metrics, beside Camel's route metrics, in one Prometheus registry that GET /metrics
 * renders. Names are listed in the README.
 */
public class Metrics {

    private final PrometheusMeterRegistry registry;
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    /** Also told each vendor PUT's latency: the dashboard's trend charts (Trends), set once at start. */
    private volatile java.util.function.ObjLongConsumer<String> putObserver = (vendor, nanos) -> { };

    /** Uses Camel's registry (camel.metrics.enabled) when there is one, so route metrics and ours scrape together. */
    public Metrics(PrometheusMeterRegistry camelRegistry) {
        this.registry = camelRegistry != null ? camelRegistry : new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    }

    public String scrape() {
        return registry.scrape();
    }

    public void orderAccepted(String vendor) {
        Counter.builder("aggregator_orders_accepted").description("Orders accepted by POST /order")
                .tag("vendor", vendor).register(registry).increment();
    }

    /** reason: bad_request, unknown_vendor_or_product, insufficient_stock, idempotency_conflict, too_large, unsupported_media_type */
    public void orderRejected(String reason) {
        Counter.builder("aggregator_orders_rejected").description("POST /order answered with a 4xx, by reason")
                .tag("reason", reason).register(registry).increment();
    }

    /** outcome: success, transient, permanent */
    public void vendorPut(String vendor, String outcome, long nanos) {
        Timer.builder("aggregator_vendor_put").description("Order PUTs to vendors: latency and outcome")
                .tag("vendor", vendor).tag("outcome", outcome)
                .serviceLevelObjectives(ms(5), ms(10), ms(25), ms(50), ms(100), ms(250), ms(500), ms(1000), ms(2500), ms(5000), ms(10000))
                .register(registry).record(Duration.ofNanos(nanos));
        putObserver.accept(vendor, nanos);
    }

    public void observePuts(java.util.function.ObjLongConsumer<String> observer) {
        this.putObserver = observer;
    }

    /** A counter's total over its series with this tag (every series when tagKey is null); the trend charts take deltas of it. */
    public double count(String name, String tagKey, String tagValue) {
        var search = registry.find(name);
        if (tagKey != null) {
            search = search.tag(tagKey, tagValue);
        }
        return search.counters().stream().mapToDouble(Counter::count).sum();
    }

    private static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    public void orderFinished(String vendor, String status) {
        Counter.builder("aggregator_orders_finished").description("Orders that reached SYNCED or FAILED")
                .tag("vendor", vendor == null ? "unknown" : vendor).tag("status", status).register(registry).increment();
    }

    public void productsSynced(String vendor, Number count) {
        Counter.builder("aggregator_products_synced").description("Products upserted, per vendor")
                .tag("vendor", vendor == null ? "unknown" : vendor).register(registry).increment(count == null ? 0 : count.doubleValue());
    }

    /** outcome: success, not_modified (a 304 to a conditional poll) or failure. */
    public void pollFinished(String vendor, String outcome) {
        Counter.builder("aggregator_vendor_polls").description("Vendor polls, by outcome")
                .tag("vendor", vendor).tag("outcome", outcome).register(registry).increment();
    }

    public void reconciliationResent(int n) {
        Counter.builder("aggregator_reconcile_resent").description("Stranded PENDING orders re-sent by reconciliation")
                .register(registry).increment(n);
    }

    /** A gauge per vendor read from a live value (a lane's breaker state, its calls in flight). */
    public void vendorGauge(String name, String description, String vendor, java.util.function.Supplier<Number> value) {
        Gauge.builder(name, value, v -> v.get().doubleValue()).description(description).tag("vendor", vendor)
                .strongReference(true) // the supplier is held by nobody else: weakly held, it read NaN after a GC
                .register(registry);
    }

    /** A value read by Prometheus as a gauge; set by the ops snapshot. */
    public void gauge(String name, String description, String tagKey, String tagValue, long value) {
        String key = name + "|" + tagKey + "|" + tagValue;
        gauges.computeIfAbsent(key, k -> {
            AtomicLong holder = new AtomicLong();
            Gauge.Builder<AtomicLong> b = Gauge.builder(name, holder, AtomicLong::doubleValue).description(description);
            if (tagKey != null) {
                b.tag(tagKey, tagValue);
            }
            b.register(registry);
            return holder;
        }).set(value);
    }
}
