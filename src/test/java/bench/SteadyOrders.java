package bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.locks.LockSupport;

/**
 * Orders arriving at a steady rate, as a storefront sends them (bench/run.sh, delivery phase): COUNT POST /order
 * for random products 1..PRODUCTS of VENDOR, one every 1/RATE s on a fixed schedule (an answer that is late does
 * not hold the next order back, unlike wrk's closed loop). Prints "posted N seconds S" and each status's count.
 * Usage: SteadyOrders BASE_URL VENDOR PRODUCTS RATE COUNT
 */
public final class SteadyOrders {

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String vendor = args[1];
        int products = Integer.parseInt(args[2]);
        double rate = Double.parseDouble(args[3]);
        int count = Integer.parseInt(args[4]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        List<CompletableFuture<Integer>> answers = new ArrayList<>(count);
        long start = System.nanoTime();
        for (int i = 0; i < count; i++) {
            long due = start + (long) (i * 1e9 / rate);
            long wait = due - System.nanoTime();
            if (wait > 0) {
                LockSupport.parkNanos(wait);
            }
            String body = "{\"id\":" + ThreadLocalRandom.current().nextInt(1, products + 1) + ",\"vendor\":\"" + vendor
                    + "\",\"quantity\":1}";
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/order")).timeout(Duration.ofSeconds(30))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
            answers.add(client.sendAsync(request, HttpResponse.BodyHandlers.discarding())
                    .thenApply(HttpResponse::statusCode).exceptionally(e -> -1));
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<Integer, Integer> statuses = new TreeMap<>();
        for (CompletableFuture<Integer> answer : answers) {
            statuses.merge(answer.join(), 1, Integer::sum);
        }
        System.out.printf("posted %d seconds %.2f%n", count, seconds);
        statuses.forEach((status, n) -> System.out.println("status " + status + " " + n));
    }
}
