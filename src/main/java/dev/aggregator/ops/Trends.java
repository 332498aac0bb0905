package dev.aggregator.ops;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * The dashboard's trend charts: the last minutes of this instance's figures, one sample per period, in a
 * ring buffer (memory stays bounded however long the service runs). Rates come from the deltas of
 * cumulative counters between two samples, divided by the time that really passed; vendor PUT latencies
 * are collected as they happen and summed up (p50, p99) per interval; breaker states and queue depths are
 * what they were at the sample. Per instance: a restart starts an empty window.
 */
public class Trends {

    /** Cumulative counters and present states, read at one moment (TrendSampler). */
    public record Reading(double accepted, double synced, double failed, double productsSynced,
                          Map<String, String> breakers, Map<String, Long> queues) {
    }

    /** One point of every chart. Rates are null for the first sample (nothing to take a delta from). */
    record Sample(Instant at, Double accepted, Double synced, Double failed, Double products,
                  Map<String, double[]> latencies, Map<String, Integer> breakers, Map<String, Long> queues) {
    }

    /** Latencies kept per vendor and interval at most; beyond, a uniform sample of them (reservoir). */
    static final int LATENCIES_PER_INTERVAL = 4096;

    private final Duration step;
    private final Sample[] ring;
    private int next;
    private int size;
    private Reading previous;
    private Instant previousAt;
    private final Map<String, Interval> intervals = new ConcurrentHashMap<>();

    /** window: how far back the charts go; step: the sampling period (the ring holds window / step samples). */
    public Trends(Duration window, Duration step) {
        if (step.isZero() || step.isNegative() || window.compareTo(step) < 0) {
            throw new IllegalArgumentException("trends: the window (" + window + ") must hold at least one step (" + step + ")");
        }
        this.step = step;
        this.ring = new Sample[(int) (window.toMillis() / step.toMillis())];
    }

    /** One vendor PUT answered (or failed) after this long; any thread, cheap. */
    public void putTook(String vendor, long nanos) {
        intervals.computeIfAbsent(vendor == null ? "unknown" : vendor, v -> new Interval()).add(nanos);
    }

    /** Takes one sample: rates since the previous reading, this interval's latencies, states as read now. */
    public synchronized void record(Instant at, Reading now) {
        Double accepted = null, synced = null, failed = null, products = null;
        if (previous != null) {
            double seconds = Math.max(1, Duration.between(previousAt, at).toMillis()) / 1000.0;
            accepted = rate(previous.accepted(), now.accepted(), seconds);
            synced = rate(previous.synced(), now.synced(), seconds);
            failed = rate(previous.failed(), now.failed(), seconds);
            products = rate(previous.productsSynced(), now.productsSynced(), seconds);
        }
        Map<String, double[]> latencies = new TreeMap<>();
        intervals.forEach((vendor, interval) -> {
            long[] nanos = interval.drain();
            if (nanos.length > 0) {
                latencies.put(vendor, new double[] {percentileMillis(nanos, 50), percentileMillis(nanos, 99)});
            }
        });
        Map<String, Integer> breakers = new TreeMap<>();
        now.breakers().forEach((vendor, state) -> breakers.put(vendor, breakerCode(state)));
        ring[next] = new Sample(at, accepted, synced, failed, products, latencies, breakers, new TreeMap<>(now.queues()));
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
        previous = now;
        previousAt = at;
    }

    /** Per second; a counter that went back (a registry reset) counts from zero rather than as a negative rate. */
    static double rate(double before, double after, double seconds) {
        double delta = after >= before ? after - before : after;
        return delta / seconds;
    }

    /** Nearest-rank percentile, in milliseconds. Sorts the array given. */
    static double percentileMillis(long[] nanos, int percentile) {
        Arrays.sort(nanos);
        int rank = (int) Math.ceil(percentile / 100.0 * nanos.length);
        return nanos[Math.max(0, rank - 1)] / 1_000_000.0;
    }

    /** As the aggregator_vendor_breaker_state gauge: 0 closed, 1 open, 2 half-open. */
    static int breakerCode(String state) {
        return switch (state == null ? "closed" : state) {
            case "open" -> 1;
            case "half_open" -> 2;
            default -> 0;
        };
    }

    /**
     * The charts' data, oldest first, as columns (what a chart library plots directly): t in epoch seconds,
     * and beside it one array per series, null where a series has no value (before a vendor or queue was known).
     */
    public synchronized Map<String, Object> columns() {
        List<Sample> samples = samples();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("stepSeconds", step.toMillis() / 1000.0);
        out.put("windowSeconds", ring.length * step.toMillis() / 1000);
        out.put("t", column(samples, s -> s.at().toEpochMilli() / 1000.0));
        Map<String, Object> orders = new LinkedHashMap<>();
        orders.put("accepted", column(samples, Sample::accepted));
        orders.put("synced", column(samples, Sample::synced));
        orders.put("failed", column(samples, Sample::failed));
        out.put("ordersPerSecond", orders);
        out.put("productsPerSecond", column(samples, Sample::products));
        TreeSet<String> vendors = new TreeSet<>();
        samples.forEach(s -> {
            vendors.addAll(s.breakers().keySet());
            vendors.addAll(s.latencies().keySet());
        });
        Map<String, Object> byVendor = new LinkedHashMap<>();
        for (String vendor : vendors) {
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("p50Ms", column(samples, s -> s.latencies().containsKey(vendor) ? s.latencies().get(vendor)[0] : null));
            v.put("p99Ms", column(samples, s -> s.latencies().containsKey(vendor) ? s.latencies().get(vendor)[1] : null));
            v.put("breaker", column(samples, s -> s.breakers().get(vendor)));
            byVendor.put(vendor, v);
        }
        out.put("vendors", byVendor);
        TreeSet<String> queueNames = new TreeSet<>();
        samples.forEach(s -> queueNames.addAll(s.queues().keySet()));
        Map<String, Object> queues = new LinkedHashMap<>();
        for (String queue : queueNames) {
            queues.put(queue, column(samples, s -> s.queues().get(queue)));
        }
        out.put("queues", queues);
        return out;
    }

    private List<Sample> samples() {
        List<Sample> all = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            all.add(ring[(next - size + i + ring.length) % ring.length]);
        }
        return all;
    }

    private static List<Object> column(List<Sample> samples, Function<Sample, Object> value) {
        List<Object> c = new ArrayList<>(samples.size());
        samples.forEach(s -> c.add(value.apply(s)));
        return c;
    }

    /** One vendor's PUT latencies since the last sample. */
    private static final class Interval {
        private long[] nanos = new long[64];
        private int count;
        private long seen;

        synchronized void add(long took) {
            seen++;
            if (count < LATENCIES_PER_INTERVAL) {
                if (count == nanos.length) {
                    nanos = Arrays.copyOf(nanos, Math.min(nanos.length * 2, LATENCIES_PER_INTERVAL));
                }
                nanos[count++] = took;
            } else {
                // Reservoir sampling: every latency of the interval has the same chance to be kept.
                long slot = ThreadLocalRandom.current().nextLong(seen);
                if (slot < LATENCIES_PER_INTERVAL) {
                    nanos[(int) slot] = took;
                }
            }
        }

        synchronized long[] drain() {
            long[] taken = Arrays.copyOf(nanos, count);
            count = 0;
            seen = 0;
            return taken;
        }
    }
}
