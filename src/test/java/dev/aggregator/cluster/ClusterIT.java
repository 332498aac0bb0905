package dev.aggregator.cluster;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.testsupport.AppProcess;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;
import testvendors.CountingVendor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two instances, each its own JVM, on one database and one vhost, delivering to a vendor that lives
 * outside both: polling happens once per period across the pair, orders split between them are each
 * confirmed once, and a SIGKILLed instance loses nothing while the other takes over its polling.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long PERIOD_MS = 1000;

    private final String database = TestServices.uniqueName("agg_cluster");
    private final String vhost = TestServices.uniqueName("agg_cluster");
    private final List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    private CountingVendor vendor;
    /** A second vendor with its own rate limit of 20/s: what it sees is the cluster's total. */
    private CountingVendor limited;
    private AppProcess a;
    private AppProcess b;
    private JdbcTemplate jdbc;

    @BeforeAll
    void startCluster() throws Exception {
        TestServices.createDatabase(database);
        TestServices.createVhost(vhost);
        jdbc = new JdbcTemplate(new DriverManagerDataSource(TestServices.jdbcUrl(database), "postgres", ""));
        vendor = new CountingVendor(50, 200);
        limited = new CountingVendor(0, "limited", 50, 50);
        a = AppProcess.start("node-a", env()).awaitHealthy(Duration.ofSeconds(60));
        b = AppProcess.start("node-b", env()).awaitHealthy(Duration.ofSeconds(60));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM products WHERE vendor = 'tv'") == 50
                && count("SELECT count(*) FROM products WHERE vendor = 'limited'") == 50);
    }

    private Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DB_URI", "postgres://postgres@127.0.0.1:5432/" + database);
        env.put("RABBITMQ_URI", TestServices.amqpUri(vhost));
        env.put("VENDOR_URL_1", vendor.url());
        env.put("VENDOR_NAME_1", "tv");
        env.put("DEMO_VENDORS", "false");
        env.put("VENDOR_POLL_PERIOD", PERIOD_MS + "ms");
        env.put("VENDOR_RATE_LIMIT", "1000");
        env.put("VENDOR_URL_2", limited.url());
        env.put("VENDOR_RATE_LIMIT_2", "20");
        env.put("AGGREGATOR_QUARTZ_CLUSTER_CHECKIN_MS", "1000");
        env.put("AGGREGATOR_OUTBOX_GRACE_SECONDS", "1");
        return env;
    }

    @AfterAll
    void stopCluster() throws Exception {
        for (AppProcess p : new AppProcess[] {a, b}) {
            if (p != null) {
                p.close();
            }
        }
        for (CountingVendor v : new CountingVendor[] {vendor, limited}) {
            if (v != null) {
                v.close();
            }
        }
        TestServices.dropDatabase(database);
        TestServices.deleteVhost(vhost);
    }

    @Test
    @Order(1)
    void theVendorIsPolledOncePerPeriodAcrossBothInstances() throws Exception {
        int before = vendor.polls().size();
        long windowMs = 8000;
        long start = System.nanoTime();
        await().pollDelay(Duration.ofMillis(windowMs)).atMost(Duration.ofMillis(windowMs + 1000)).until(() -> true);
        long elapsedMs = (System.nanoTime() - start) / 1_000_000;
        int polls = vendor.polls().size() - before;
        double expected = elapsedMs / (double) PERIOD_MS;
        System.out.printf("cluster polls in %d ms: %d (one instance alone: ~%.0f; two unclustered timers: ~%.0f)%n",
                elapsedMs, polls, expected, 2 * expected);
        assertThat(polls).isBetween((int) (expected * 0.6), (int) Math.ceil(expected * 1.25));
    }

    @Test
    @Order(2)
    void ordersSplitBetweenInstancesAreEachConfirmedOnce() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            AppProcess node = i % 2 == 0 ? a : b;
            HttpResponse<String> r = node.post("/order", "{\"id\":" + (1 + i % 50) + ",\"vendor\":\"tv\",\"quantity\":1}");
            assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
            ids.add(JSON.readTree(r.body()).get("orderId").asText());
        }
        accepted.addAll(ids);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM orders WHERE status = 'SYNCED'") == 40);
        assertThat(vendor.putsByKey().keySet()).containsExactlyInAnyOrderElementsOf(ids);
        // Both instances took orders, and one delivered them all: the vendor's lane queue has a single
        // active consumer in the cluster (the other instance's consumer is its stand-by).
        assertThat(a.log().contains("Order SYNCED") ^ b.log().contains("Order SYNCED")).isTrue();
    }

    @Test
    @Order(3)
    void aVendorsRateLimitHoldsForTheWholeCluster() throws Exception {
        List<String> ids = Collections.synchronizedList(new ArrayList<>());
        Thread[] clients = new Thread[2];
        for (int c = 0; c < 2; c++) {
            AppProcess node = c == 0 ? a : b;
            clients[c] = new Thread(() -> {
                for (int i = 0; i < 100; i++) {
                    try {
                        HttpResponse<String> r = node.post("/order", "{\"id\":" + (1 + i % 50) + ",\"vendor\":\"limited\",\"quantity\":1}");
                        ids.add(JSON.readTree(r.body()).get("orderId").asText());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            clients[c].start();
        }
        for (Thread t : clients) {
            t.join();
        }
        accepted.addAll(ids);
        await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM orders WHERE vendor = 'limited' AND status = 'SYNCED'") == 200);
        int busiest = limited.busiestWindow(Duration.ofSeconds(5));
        System.out.printf("200 orders through 2 instances to a vendor limited to 20/s: busiest 5 s window %d PUTs (%.1f/s)%n", busiest, busiest / 5.0);
        assertThat(busiest).isLessThanOrEqualTo(5 * 24);
        assertThat(limited.putsByKey().keySet()).containsExactlyInAnyOrderElementsOf(ids);
    }

    @Test
    @Order(4)
    void aKilledInstanceLosesNothingAndTheOtherTakesOverPolling() throws Exception {
        // Kill the instance that polled last: the current "leader" of the vendor's trigger.
        String leader = vendor.polls().get(vendor.polls().size() - 1).agent();
        AppProcess victim = leader.endsWith(a.name()) ? a : b;
        AppProcess survivor = victim == a ? b : a;
        System.out.println("last poll by " + leader + "; killing " + victim.name());

        List<String> sent = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger unanswered = new AtomicInteger();
        Thread load = new Thread(() -> {
            for (int i = 0; i < 120; i++) {
                AppProcess node = i % 2 == 0 ? victim : survivor;
                String lane = i % 3 == 0 ? "limited" : "tv"; // orders in flight in two lanes
                try {
                    HttpResponse<String> r = node.post("/order", "{\"id\":" + (1 + i % 50) + ",\"vendor\":\"" + lane + "\",\"quantity\":1}");
                    if (r.statusCode() == 202) {
                        sent.add(JSON.readTree(r.body()).get("orderId").asText());
                    }
                } catch (Exception refusedByTheDeadInstance) {
                    // after the kill, half the requests find nobody: the client would retry elsewhere
                    unanswered.incrementAndGet();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(25_000_000L); // a steady stream of orders, about 40/s
            }
        });
        load.start();
        await().atMost(Duration.ofSeconds(20)).until(() -> sent.size() >= 30);
        long pendingAtKill = count("SELECT count(*) FROM orders WHERE status = 'PENDING'");
        long unacked = unacknowledged();
        long killedAt = System.nanoTime();
        victim.kill();
        load.join();
        System.out.println("orders PENDING at the kill: " + pendingAtKill + " (" + unacked + " delivery messages unacknowledged)"
                + "; accepted during the run: " + sent.size());

        // Polling continues on the survivor.
        await().atMost(Duration.ofSeconds(20)).until(() -> vendor.polls().stream()
                .anyMatch(p -> p.nanos() > killedAt && p.agent().endsWith(survivor.name())));
        long firstPollAfterKill = vendor.polls().stream().filter(p -> p.nanos() > killedAt).mapToLong(CountingVendor.Poll::nanos).min().orElseThrow();
        System.out.printf("polling taken over %d ms after the kill%n", (firstPollAfterKill - killedAt) / 1_000_000);

        // Every accepted order reaches the vendor, once per order id.
        accepted.addAll(sent);
        await().atMost(Duration.ofSeconds(90)).until(() -> count("SELECT count(*) FROM orders WHERE status <> 'SYNCED'") == 0);
        System.out.printf("all %d orders SYNCED %d ms after the kill%n", accepted.size(), (System.nanoTime() - killedAt) / 1_000_000);
        List<String> recorded = jdbc.queryForList("SELECT order_id::text FROM orders", String.class);
        assertThat(recorded).containsAll(accepted);
        // The victim may have committed an order and died before answering it: recorded and delivered,
        // while its client saw a broken connection (and would retry with an Idempotency-Key). Only those.
        assertThat(recorded.size() - accepted.size()).isBetween(0, unanswered.get());
        Set<String> delivered = new java.util.HashSet<>(vendor.putsByKey().keySet());
        delivered.addAll(limited.putsByKey().keySet());
        assertThat(delivered).containsExactlyInAnyOrderElementsOf(recorded);
        Set<String> repeated = java.util.stream.Stream.concat(vendor.putsByKey().entrySet().stream(), limited.putsByKey().entrySet().stream())
                .filter(e -> e.getValue().get() > 1).map(Map.Entry::getKey).collect(Collectors.toSet());
        System.out.println("orders the vendor saw more than once (same Idempotency-Key): " + repeated.size());
        assertThat(recorded).containsAll(repeated);
    }

    @Test
    @Order(5)
    void sigtermShutsDownGracefullyWithNothingLost() throws Exception {
        AppProcess live = a.isAlive() ? a : b;
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> r = live.post("/order", "{\"id\":" + (1 + i) + ",\"vendor\":\"tv\",\"quantity\":1}");
            ids.add(JSON.readTree(r.body()).get("orderId").asText());
        }
        int exit = live.terminate(Duration.ofSeconds(40));
        assertThat(exit).as("ended within the shutdown bound").isNotEqualTo(-1);
        assertThat(live.log()).contains("is shutdown").doesNotContain("Exception in thread");

        // What it had not finished is still queued or in the outbox: a fresh instance completes it.
        try (AppProcess c = AppProcess.start("node-c", env()).awaitHealthy(Duration.ofSeconds(60))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> count("SELECT count(*) FROM orders WHERE status <> 'SYNCED'") == 0);
            assertThat(vendor.putsByKey().keySet()).containsAll(ids);
        }
    }

    private long unacknowledged() {
        String out = TestServices.rabbitmqctl("list_queues", "-p", vhost, "name", "messages_unacknowledged");
        return out.lines().filter(l -> l.startsWith("sync_to_external") && !l.startsWith("sync_to_external_dlq")).mapToLong(l -> Long.parseLong(l.split("\t")[1].trim())).sum();
    }

    private long count(String sql) {
        Long n = jdbc.queryForObject(sql, Long.class);
        return n == null ? 0 : n;
    }
}
