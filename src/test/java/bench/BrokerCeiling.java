package bench;

import java.net.URI;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The broker's ceiling for stock sync, for bench/run.sh: persistent publishes to a durable queue with
 * publisher confirms, waited for per batch, on one channel, as the poller does. Prints messages per second.
 * Args: amqp-uri messages batch
 */
public final class BrokerCeiling {

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int messages = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        CachingConnectionFactory factory = new CachingConnectionFactory(uri);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        RabbitTemplate rabbit = new RabbitTemplate(factory);
        String queue = "bench_ceiling";
        rabbit.execute(c -> c.queueDeclare(queue, true, false, false, null));
        byte[] body = ("{\"vendor\":\"bench\",\"source\":\"http://x/products\",\"fetchedAt\":\"2026-01-01T00:00:00Z\","
                + "\"product\":{\"id\":12345,\"title\":\"A product of typical size\",\"price\":19.99,\"stock\":42,"
                + "\"description\":\"Some description text that vendors like to send along with every product\"}}").getBytes();
        MessageProperties props = new MessageProperties();
        props.setContentType("application/json");
        Message message = new Message(body, props);
        long start = System.nanoTime();
        for (int sent = 0; sent < messages; sent += batch) {
            int n = Math.min(batch, messages - sent);
            rabbit.invoke(ops -> {
                for (int i = 0; i < n; i++) {
                    ops.send("", queue, message);
                }
                ops.waitForConfirmsOrDie(30_000);
                return null;
            });
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        rabbit.execute(c -> c.queueDelete(queue));
        factory.destroy();
        System.out.printf("%.0f%n", messages / seconds);
    }
}
