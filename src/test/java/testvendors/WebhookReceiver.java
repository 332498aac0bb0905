package testvendors;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A storefront's webhook endpoint, outside the service: it checks each POST's Webhook-Signature as the README
 * tells a receiver to (HMAC-SHA256 of "<t>.<body>" with the shared secret, written here from the README, not
 * with the service's own class), and can fail for a while: a number of 5xx answers, then a number of requests
 * left without an answer, or down (500) until told otherwise. An event counts as received only when it was
 * answered 2xx with a valid signature.
 */
public class WebhookReceiver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final String secret;
    private final Map<String, List<JsonNode>> received = new ConcurrentHashMap<>();
    private final List<String> badSignatures = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger errorsLeft = new AtomicInteger();
    private final AtomicInteger silencesLeft = new AtomicInteger();
    private volatile boolean down;
    private volatile long silenceMillis = 3000;

    public WebhookReceiver(String secret) throws IOException {
        this.secret = secret;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    public String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** The next `errors` requests are answered 503, then the next `silences` get no answer for `silence`. */
    public void failFor(int errors, int silences, Duration silence) {
        silenceMillis = silence.toMillis();
        errorsLeft.set(errors);
        silencesLeft.set(silences);
    }

    /** Down: every request answered 500 until up again. */
    public void down(boolean down) {
        this.down = down;
    }

    /** Events answered 2xx with a valid signature, by event id: each delivery's body. */
    public Map<String, List<JsonNode>> received() {
        return received;
    }

    public List<String> badSignatures() {
        return badSignatures;
    }

    public int requests() {
        return requests.get();
    }

    /** Of the events received, the order ids per event type. */
    public List<String> orderIds(String type) {
        List<String> ids = new ArrayList<>();
        received.values().forEach(deliveries -> {
            JsonNode e = deliveries.get(0);
            if (type.equals(e.get("type").asText())) {
                ids.add(e.get("order").get("orderId").asText());
            }
        });
        return ids;
    }

    private void handle(HttpExchange x) throws IOException {
        requests.incrementAndGet();
        byte[] body;
        try (InputStream in = x.getRequestBody()) {
            body = in.readAllBytes();
        }
        if (down || errorsLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            answer(x, down ? 500 : 503);
            return;
        }
        if (silencesLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            try {
                Thread.sleep(silenceMillis); // longer than the service's time-out: it gives up on this request
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            x.close();
            return;
        }
        String header = x.getRequestHeaders().getFirst("Webhook-Signature");
        if (!valid(header, body)) {
            badSignatures.add(header + " " + new String(body, StandardCharsets.UTF_8));
            answer(x, 400);
            return;
        }
        JsonNode event = JSON.readTree(body);
        received.computeIfAbsent(event.get("id").asText(), k -> new CopyOnWriteArrayList<>()).add(event);
        answer(x, 200);
    }

    /** The README's recipe: t and v1 from the header, v1 == hex(HMAC-SHA256(secret, t + "." + body)), t recent. */
    private boolean valid(String header, byte[] body) {
        if (header == null) {
            return false;
        }
        String t = null;
        String v1 = null;
        for (String part : header.split(",")) {
            if (part.startsWith("t=")) {
                t = part.substring(2);
            } else if (part.startsWith("v1=")) {
                v1 = part.substring(3);
            }
        }
        if (t == null || v1 == null || Math.abs(System.currentTimeMillis() / 1000 - Long.parseLong(t)) > 300) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(mac.doFinal(body)).equals(v1);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void answer(HttpExchange x, int status) throws IOException {
        x.sendResponseHeaders(status, -1);
        x.close();
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
