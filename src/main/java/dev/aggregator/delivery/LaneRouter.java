package dev.aggregator.delivery;

import java.io.IOException;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
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
        JsonNode message;
        try {
            message = json.readTree(exchange.getMessage().getBody(byte[].class));
        } catch (IOException | RuntimeException e) {
            throw new InvalidOrderMessageException("message is not JSON");
        }
        String id = message == null ? null : message.path("orderId").asText(null);
        try {
            exchange.setProperty(OrderDelivery.ORDER_ID, UUID.fromString(id).toString());
        } catch (RuntimeException e) {
            throw new InvalidOrderMessageException("message has no valid orderId");
        }
        String vendor = message.path("vendor").asText(null);
        if (vendor == null || vendor.isBlank()) {
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
