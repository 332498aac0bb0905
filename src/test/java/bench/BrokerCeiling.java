package bench;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.connection.CachingConnectionFactory;
import org.springframework.amqp.rabbit.core.RabbitTemplate;

/**
 * The broker's ceiling for stock sync, for bench/run.sh: persistent messages shaped like the poller's
 * (an envelope of productsPerMessage products) to a durable queue, each waited for until the broker
 * confirms it, on one channel, as the poller's publish does. Prints products per second.
 * Args: amqp-uri products productsPerMessage
 */
public final class BrokerCeiling {

    private static final String PRODUCT = "{\"id\":12345,\"title\":\"A product of typical size\",\"price\":19.99,\"stock\":42,"
            + "\"description\":\"Some description text that vendors like to send along with every product\"}";

    public static void main(String[] args) throws Exception {
        URI uri = URI.create(args[0]);
        int products = Integer.parseInt(args[1]);
        int perMessage = Integer.parseInt(args[2]);
        CachingConnectionFactory factory = new CachingConnectionFactory(uri);
        factory.setPublisherConfirmType(CachingConnectionFactory.ConfirmType.CORRELATED);
        RabbitTemplate rabbit = new RabbitTemplate(factory);
        String queue = "bench_ceiling";
        rabbit.execute(c -> c.queueDeclare(queue, true, false, false, null));
        StringBuilder envelope = new StringBuilder("{\"vendor\":\"bench\",\"source\":\"http://x/products\",")
                .append("\"fetchedAt\":\"2026-01-01T00:00:00Z\",\"products\":[");
        for (int i = 0; i < perMessage; i++) {
            envelope.append(i == 0 ? "" : ",").append(PRODUCT);
        }
        MessageProperties props = new MessageProperties();
        props.setContentType("application/json");
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        Message message = new Message(envelope.append("]}").toString().getBytes(StandardCharsets.UTF_8), props);
        int messages = (products + perMessage - 1) / perMessage;
        long start = System.nanoTime();
        rabbit.invoke(ops -> {
            for (int i = 0; i < messages; i++) {
                ops.send("", queue, message);
                ops.waitForConfirmsOrDie(30_000);
            }
            return null;
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        rabbit.execute(c -> c.queueDelete(queue));
        factory.destroy();
        System.out.printf("%.0f%n", (double) messages * perMessage / seconds);
    }
}
