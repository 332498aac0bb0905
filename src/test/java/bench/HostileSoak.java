package bench;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The hostile-vendor soak (issue 25, bench/hostile.sh): one vendor that, round after round, answers one of the
 * odd things review found (a number with a huge or tiny exponent, a NUL in a name, a record nested past
 * Jackson's limit, the whole answer in Latin-1), drops a product, lists an older dropped one again, changes a
 * stock, or changes nothing (an ETag per answer, so an unchanged poll is a 304), while a storefront
 * reads GET /products and orders what it sees in stock. At the end the vendor answers cleanly and the
 * catalogue must converge to exactly what it lists; no order may be accepted for a product the vendor had
 * stopped listing longer than a poll period (and its apply) before.
 *
 * Usage: HostileSoak VENDOR_PORT SERVICE_URL SECONDS POLL_PERIOD_MS REPORT_FILE. The vendor serves
 * http://127.0.0.1:VENDOR_PORT/hostile/products (DummyJSON's shape, all 60 in one page unless asked for fewer)
 * from the start; the service is
 * expected to poll it and come up on its own.
 */
public final class HostileSoak {

    enum Round { HUGE_EXPONENT, TINY_EXPONENT, NUL_NAME, DEEP_RECORD, LATIN1, DROP, RELIST, STOCK, UNCHANGED }

    private static final int PRODUCTS = 60;
    private static final int BAD = 5;
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private final Map<Integer, int[]> listed = new TreeMap<>(); // id -> {cents, stock}
    private final Map<Integer, Instant> droppedAt = new ConcurrentHashMap<>();
    private final List<Integer> dropped = new ArrayList<>();
    private final Random random = new Random(25);
    private volatile Round spoil;
    private volatile Instant lastModified = Instant.now();
    private final AtomicInteger pages200 = new AtomicInteger();
    private final AtomicInteger pages304 = new AtomicInteger();
    private final AtomicInteger puts404 = new AtomicInteger();
    private final AtomicInteger puts200 = new AtomicInteger();

    private HostileSoak() {
        for (int i = 1; i <= PRODUCTS; i++) {
            listed.put(i, new int[] {1000 + i * 13, 1000});
        }
    }

    public static void main(String[] args) throws Exception {
        int vendorPort = Integer.parseInt(args[0]);
        String service = args[1];
        int seconds = Integer.parseInt(args[2]);
        long periodMs = Long.parseLong(args[3]);
        Path report = Path.of(args[4]);
        new HostileSoak().run(vendorPort, service, seconds, periodMs, report);
    }

    private void run(int vendorPort, String service, int seconds, long periodMs, Path report) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", vendorPort), 200);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/hostile/products", this::handle);
        server.start();
        System.out.println("hostile vendor at http://127.0.0.1:" + vendorPort + "/hostile/products");
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        awaitCatalogue(http, service, Duration.ofSeconds(120));

        long graceMs = 2 * periodMs + 2000;
        List<long[]> accepted = new CopyOnWriteArrayList<>(); // {productId, epochMs}
        AtomicInteger posted = new AtomicInteger();
        AtomicInteger refused409 = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Thread storefront = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    List<Integer> inStock = inStock(http, service);
                    if (!inStock.isEmpty()) {
                        int id = inStock.get(random.nextInt(inStock.size()));
                        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(service + "/order"))
                                .header("Content-Type", "application/json").timeout(Duration.ofSeconds(10))
                                .POST(HttpRequest.BodyPublishers.ofString("{\"vendor\":\"hostile\",\"id\":\"" + id + "\",\"quantity\":1}")).build(),
                                HttpResponse.BodyHandlers.ofString());
                        posted.incrementAndGet();
                        if (r.statusCode() == 202) {
                            accepted.add(new long[] {id, System.currentTimeMillis()});
                        } else if (r.statusCode() == 409) {
                            refused409.incrementAndGet();
                        } else {
                            other.incrementAndGet();
                        }
                    }
                    Thread.sleep(40);
                } catch (InterruptedException e) {
                    return;
                } catch (Exception e) {
                    other.incrementAndGet();
                }
            }
        }, "storefront");
        storefront.start();

        Round[] rounds = Round.values();
        List<String> log = new ArrayList<>();
        long end = System.currentTimeMillis() + seconds * 1000L;
        int n = 0;
        while (System.currentTimeMillis() < end) {
            Round round = rounds[n++ % rounds.length];
            apply(round);
            log.add(Instant.now() + " " + round);
            Thread.sleep(3 * periodMs);
            spoil = null;
        }
        storefront.interrupt();
        storefront.join();

        // Clean answers from now on: the catalogue must converge to exactly what the vendor lists.
        synchronized (this) {
            lastModified = Instant.now();
        }
        long settleStart = System.currentTimeMillis();
        boolean converged = false;
        String difference = "";
        while (System.currentTimeMillis() - settleStart < 60_000) {
            difference = difference(http, service);
            if (difference.isEmpty()) {
                converged = true;
                break;
            }
            Thread.sleep(500);
        }
        long convergedMs = System.currentTimeMillis() - settleStart;

        int late = 0;
        List<String> lateOrders = new ArrayList<>();
        for (long[] a : accepted) {
            Instant gone = droppedAt.get((int) a[0]);
            if (gone != null && a[1] - gone.toEpochMilli() > graceMs) {
                late++;
                lateOrders.add(a[0] + " at " + Instant.ofEpochMilli(a[1]) + " (dropped " + gone + ")");
            }
        }
        StringBuilder out = new StringBuilder();
        out.append("| figure | value |\n| --- | --- |\n");
        out.append("| soak length (s) / rounds (3 poll periods each) | ").append(seconds).append(" / ").append(n).append(" |\n");
        out.append("| poll period (ms) / grace for an order after a drop (ms) | ").append(periodMs).append(" / ").append(graceMs).append(" |\n");
        out.append("| catalogue pages answered 200 / 304 | ").append(pages200.get()).append(" / ").append(pages304.get()).append(" |\n");
        out.append("| orders posted / 202 / 409 / other | ").append(posted.get()).append(" / ").append(accepted.size()).append(" / ")
                .append(refused409.get()).append(" / ").append(other.get()).append(" |\n");
        out.append("| orders accepted for a product dropped more than the grace before | ").append(late).append(" |\n");
        out.append("| vendor PUTs 200 / 404 (no longer listed; dropped within the grace) | ").append(puts200.get()).append(" / ")
                .append(puts404.get()).append(" |\n");
        out.append("| catalogue converged after clean answers | ").append(converged ? "yes, in " + convergedMs + " ms" : "NO: " + difference).append(" |\n");
        out.append("\nRounds: ").append(String.join("; ", log.stream().map(l -> l.substring(l.indexOf(' ') + 1)).toList())).append("\n");
        if (!lateOrders.isEmpty()) {
            out.append("\nLate orders: ").append(String.join("; ", lateOrders)).append("\n");
        }
        Files.writeString(report, out.toString());
        System.out.print(out);
        server.stop(0);
        System.exit(converged && late == 0 ? 0 : 1);
    }

    private synchronized void apply(Round round) {
        switch (round) {
            case DROP -> {
                List<Integer> ids = new ArrayList<>(listed.keySet());
                ids.remove(Integer.valueOf(BAD));
                int id = ids.get(random.nextInt(ids.size()));
                listed.remove(id);
                dropped.add(id);
                droppedAt.put(id, Instant.now());
            }
            case RELIST -> {
                // the oldest of two or more: the latest drop stays dropped for a whole cycle of rounds
                if (dropped.size() >= 2) {
                    int id = dropped.remove(0);
                    listed.put(id, new int[] {1000 + id * 13, 1000});
                    droppedAt.remove(id);
                }
            }
            case STOCK -> {
                List<Integer> ids = new ArrayList<>(listed.keySet());
                int id = ids.get(ids.size() - 1 - random.nextInt(Math.min(15, ids.size())));
                listed.get(id)[1] = 500 + random.nextInt(400);
            }
            case UNCHANGED -> {
                return; // nothing changes: a poll may be all 304s
            }
            default -> spoil = round;
        }
        lastModified = Instant.now();
    }

    private void handle(HttpExchange x) throws IOException {
        try (x) {
            String path = x.getRequestURI().getPath();
            if (x.getRequestMethod().equals("PUT")) {
                int id = Integer.parseInt(path.substring(path.lastIndexOf('/') + 1));
                boolean ok;
                synchronized (this) {
                    ok = listed.containsKey(id);
                }
                (ok ? puts200 : puts404).incrementAndGet();
                send(x, ok ? 200 : 404, "application/json", (ok ? "{\"ok\":true}" : "{\"error\":\"not listed\"}").getBytes(StandardCharsets.UTF_8), null, null);
                return;
            }
            // one page unless asked for less (the service's default reading asks nothing of a first page): its
            // ETag is the catalogue's, so unchanged polls are 304s
            int limit = 100;
            int skip = 0;
            String q = x.getRequestURI().getRawQuery();
            if (q != null) {
                for (String kv : q.split("&")) {
                    String[] p = kv.split("=", 2);
                    if (p[0].equals("limit")) {
                        limit = Integer.parseInt(p[1]);
                    } else if (p[0].equals("skip")) {
                        skip = Integer.parseInt(p[1]);
                    }
                }
            }
            String body;
            Round now;
            Instant modified;
            synchronized (this) {
                now = spoil;
                modified = lastModified;
                List<String> all = new ArrayList<>();
                listed.forEach((id, p) -> all.add(record(id, p, now)));
                List<String> page = all.subList(Math.min(skip, all.size()), Math.min(skip + limit, all.size()));
                body = "{\"products\":[" + String.join(",", page) + "],\"total\":" + all.size() + ",\"skip\":" + skip + ",\"limit\":" + limit + "}";
            }
            Charset charset = now == Round.LATIN1 ? StandardCharsets.ISO_8859_1 : StandardCharsets.UTF_8;
            byte[] bytes = body.getBytes(charset);
            String etag = "W/\"" + sha1(bytes) + "\"";
            String inm = x.getRequestHeaders().getFirst("If-None-Match");
            if (etag.equals(inm)) {
                pages304.incrementAndGet();
                send(x, 304, null, new byte[0], etag, modified);
                return;
            }
            pages200.incrementAndGet();
            send(x, 200, "application/json; charset=" + charset.name(), bytes, etag, modified);
        }
    }

    private static String record(int id, int[] p, Round spoil) {
        String price = String.format("%d.%02d", p[0] / 100, p[0] % 100);
        String name = spoil == Round.LATIN1 ? "Caf\u00e9 cr\u00e8me " + id : "Item " + id;
        String extra = "";
        if (id == BAD && spoil != null) {
            switch (spoil) {
                case HUGE_EXPONENT -> price = "\"1e999999999\"";
                case TINY_EXPONENT -> price = "\"1e-999999999\"";
                case NUL_NAME -> name = "Item \\u0000 " + id;
                case DEEP_RECORD -> extra = ",\"deep\":" + "[".repeat(1500) + "]".repeat(1500);
                default -> { }
            }
        }
        return "{\"id\":\"" + id + "\",\"title\":\"" + name + "\",\"price\":" + price + ",\"stock\":" + p[1] + extra + "}";
    }

    /** What the service lists for the vendor that the vendor does not, or differently; empty when they agree. */
    private String difference(HttpClient http, String service) throws Exception {
        Map<Integer, int[]> want;
        synchronized (this) {
            want = new TreeMap<>();
            listed.forEach((k, v) -> want.put(k, v.clone()));
        }
        Map<Integer, String[]> have = products(http, service);
        List<String> diffs = new ArrayList<>();
        for (int id = 1; id <= PRODUCTS; id++) {
            int[] w = want.get(id);
            String[] h = have.get(id);
            if (w == null) {
                if (h != null && Integer.parseInt(h[1]) > 0) {
                    diffs.add(id + " not listed but stock " + h[1]);
                }
            } else if (h == null || !h[2].equals("Item " + id) || Integer.parseInt(h[1]) <= 0
                    || new java.math.BigDecimal(h[0]).compareTo(java.math.BigDecimal.valueOf(w[0], 2)) != 0) {
                diffs.add(id + (h == null ? " missing" : " is " + String.join("/", h)));
            }
        }
        return String.join(", ", diffs);
    }

    private static final Pattern PRODUCT = Pattern.compile(
            "\"id\":\"(\\d+)\",\"name\":\"((?:[^\"\\\\]|\\\\.)*)\",\"price\":([0-9.]+),\"stock\":(-?\\d+)");

    /** id -> {price, stock, name} as GET /products shows them (the service's own JSON, read by pattern). */
    private static Map<Integer, String[]> products(HttpClient http, String service) throws Exception {
        Map<Integer, String[]> out = new TreeMap<>();
        String body = http.send(HttpRequest.newBuilder(URI.create(service + "/products?vendor=hostile&limit=200"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
        Matcher m = PRODUCT.matcher(body);
        while (m.find()) {
            out.put(Integer.parseInt(m.group(1)), new String[] {m.group(3), m.group(4), m.group(2)});
        }
        return out;
    }

    private static List<Integer> inStock(HttpClient http, String service) throws Exception {
        List<Integer> ids = new ArrayList<>();
        products(http, service).forEach((id, p) -> {
            if (Integer.parseInt(p[1]) > 0) {
                ids.add(id);
            }
        });
        return ids;
    }

    private void awaitCatalogue(HttpClient http, String service, Duration within) throws Exception {
        long until = System.currentTimeMillis() + within.toMillis();
        while (System.currentTimeMillis() < until) {
            try {
                if (products(http, service).size() == PRODUCTS) {
                    return;
                }
            } catch (IOException e) {
                // not up yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the service did not list the vendor's " + PRODUCTS + " products within " + within);
    }

    private static void send(HttpExchange x, int status, String type, byte[] body, String etag, Instant modified) throws IOException {
        if (type != null) {
            x.getResponseHeaders().set("Content-Type", type);
        }
        if (etag != null) {
            x.getResponseHeaders().set("ETag", etag);
            x.getResponseHeaders().set("Last-Modified", HTTP_DATE.format(ZonedDateTime.ofInstant(modified, ZoneOffset.UTC)));
        }
        x.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = x.getResponseBody()) {
                out.write(body);
            }
        }
    }

    private static String sha1(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(b));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
