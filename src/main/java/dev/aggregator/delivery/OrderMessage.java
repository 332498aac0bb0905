package dev.aggregator.delivery;

import java.io.IOException;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** What an order message on sync_to_external (or a lane) says: the order's id and, when given, its vendor. */
record OrderMessage(UUID orderId, String vendor) {

    /** Reads a message body; an unusable one is an InvalidOrderMessageException (dead-lettered as it is). */
    static OrderMessage read(ObjectMapper json, byte[] body) {
        JsonNode message;
        try {
            message = json.readTree(body);
        } catch (IOException | RuntimeException e) {
            throw new InvalidOrderMessageException("message is not JSON");
        }
        String id = message == null ? null : message.path("orderId").asText(null);
        UUID orderId;
        try {
            orderId = UUID.fromString(id);
        } catch (RuntimeException e) {
            throw new InvalidOrderMessageException("message has no valid orderId");
        }
        String vendor = message.path("vendor").asText(null);
        return new OrderMessage(orderId, vendor == null || vendor.isBlank() ? null : vendor);
    }
}
