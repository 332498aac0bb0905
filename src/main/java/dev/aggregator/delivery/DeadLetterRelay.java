package dev.aggregator.delivery;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.support.DeadLetterHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.Message;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.core.MessageProperties;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Publishes the dead letters of FAILED orders that the failing delivery could not get confirmed, with the
 * same headers the dead-letter route writes. A row leaves dead_letter_outbox only after the broker
 * confirmed its letter.
 */
public class DeadLetterRelay {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterRelay.class);

    private final RabbitTemplate rabbit;
    private final NamedParameterJdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final double graceSeconds;

    public DeadLetterRelay(RabbitTemplate rabbit, NamedParameterJdbcTemplate jdbc, TransactionTemplate tx, double graceSeconds) {
        this.rabbit = rabbit;
        this.jdbc = jdbc;
        this.tx = tx;
        this.graceSeconds = graceSeconds;
    }

    public int relay() {
        Integer sent;
        try {
            sent = tx.execute(status -> {
                List<Map<String, Object>> rows = jdbc.queryForList(ClasspathText.load("sql/delivery/claim-dead-letters.sql"),
                        new MapSqlParameterSource().addValue("graceSeconds", graceSeconds).addValue("batch", 100));
                if (rows.isEmpty()) {
                    return 0;
                }
                rabbit.invoke(ops -> {
                    for (Map<String, Object> row : rows) {
                        ops.send("", QueueTopology.TO_EXTERNAL_DLQ, letter(row));
                    }
                    ops.waitForConfirmsOrDie(5000);
                    return null;
                });
                jdbc.update(ClasspathText.load("sql/delivery/delete-dead-letter.sql"),
                        Map.of("ids", rows.stream().map(r -> ((Number) r.get("id")).longValue()).toList()));
                return rows.size();
            });
        } catch (org.springframework.amqp.AmqpException e) {
            LOG.debug("Dead-letter relay could not publish: {}", e.getMessage());
            return 0;
        }
        if (sent != null && sent > 0) {
            LOG.warn("Dead-letter relay published {} letters of FAILED orders that were not confirmed when they failed", sent);
        }
        return sent == null ? 0 : sent;
    }

    static Message letter(Map<String, Object> row) {
        MessageProperties props = new MessageProperties();
        props.setContentType(MessageProperties.CONTENT_TYPE_JSON);
        props.setDeliveryMode(MessageDeliveryMode.PERSISTENT);
        props.setHeader(DeadLetterHeaders.ORDER_ID, row.get("order_id").toString());
        props.setHeader(DeadLetterHeaders.REASON, row.get("reason"));
        props.setHeader(DeadLetterHeaders.ATTEMPTS, ((Number) row.get("attempts")).intValue());
        props.setHeader(DeadLetterHeaders.FAILED_AT, ((java.sql.Timestamp) row.get("failed_at")).toInstant().toString());
        props.setHeader(DeadLetterHeaders.ORIGINAL_QUEUE, QueueTopology.TO_EXTERNAL);
        props.setHeader(DeadLetterHeaders.ID, row.get("letter_id"));
        if (row.get("vendor") != null) {
            props.setHeader(DeadLetterHeaders.VENDOR, row.get("vendor"));
        }
        if (row.get("vendor_ref") != null) {
            props.setHeader(DeadLetterHeaders.VENDOR_REF, row.get("vendor_ref"));
        }
        return new Message(((String) row.get("payload")).getBytes(StandardCharsets.UTF_8), props);
    }
}
