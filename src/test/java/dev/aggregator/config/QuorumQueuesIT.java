package dev.aggregator.config;

import java.util.Properties;

import dev.aggregator.testsupport.AggregatorTestSupport;
import dev.aggregator.testsupport.TestServices;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** aggregator.rabbitmq.quorum-queues=true declares all four queues as quorum queues (replicated in a cluster). */
class QuorumQueuesIT extends AggregatorTestSupport {

    @Override
    protected void settings(Properties p) {
        p.setProperty("aggregator.rabbitmq.quorum-queues", "true");
    }

    @Test
    void theQueuesAreQuorumQueues() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        String queues = TestServices.rabbitmqctl("list_queues", "-p", vhost, "name", "type");
        for (String q : QueueTopology.QUEUES) {
            assertThat(queues).contains(q + "\tquorum");
        }
    }
}
