package dev.aggregator.order;

import java.util.Collection;

/**
 * A cart's status from its lines' (each line is an order). A cancelled line is left out: the cart is what
 * remains of it. FAILED as soon as any line FAILED (the client must act on it, whatever the others do);
 * SYNCED when every line not cancelled is SYNCED; CANCELLED when every line is; PENDING otherwise.
 */
public final class CartStatus {

    private CartStatus() {
    }

    public static String of(Collection<String> lineStatuses) {
        boolean anyLive = false;
        boolean allSynced = true;
        for (String s : lineStatuses) {
            if ("FAILED".equals(s)) {
                return "FAILED";
            }
            if (!"CANCELLED".equals(s)) {
                anyLive = true;
                allSynced &= "SYNCED".equals(s);
            }
        }
        if (!anyLive) {
            return lineStatuses.isEmpty() ? "PENDING" : "CANCELLED";
        }
        return allSynced ? "SYNCED" : "PENDING";
    }
}
