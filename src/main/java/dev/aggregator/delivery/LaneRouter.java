package dev.aggregator.delivery;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.QueueTopology;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.Exchange;

/** Which lane an order message goes to: its vendor's, which must still be configured. */
public class LaneRouter {

    public static final String LANE_QUEUE = "laneQueue";

    private final ObjectMapper json;
    private final VendorRegistry vendors;
    private final QueueTopology topology;

    public LaneRouter(ObjectMapper json, VendorRegistry vendors, QueueTopology topology) {
        this.json = json;
        this.vendors = vendors;
        this.topology = topology;
    }

    public void route(Exchange exchange) {
        OrderMessage message = OrderMessage.read(json, exchange.getMessage().getBody(byte[].class));
        exchange.setProperty(OrderDelivery.ORDER_ID, message.orderId().toString());
        String vendor = message.vendor();
        if (vendor == null) {
            throw new InvalidOrderMessageException("message names no vendor");
        }
        exchange.setProperty(OrderDelivery.VENDOR, vendor);
        if (vendors.find(vendor).isEmpty()) {
            throw new VendorGoneException(vendor);
        }
        String queue = Lane.queueOf(vendor);
        // A message to a queue that does not exist would be confirmed and dropped: declare it first.
        topology.declareLane(queue);
        exchange.setProperty(LANE_QUEUE, queue);
    }
}
