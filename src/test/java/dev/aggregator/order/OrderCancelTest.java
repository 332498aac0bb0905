package dev.aggregator.order;

import org.junit.jupiter.api.Test;

import static dev.aggregator.order.OrderCancel.Decision.ALREADY;
import static dev.aggregator.order.OrderCancel.Decision.CANCEL;
import static dev.aggregator.order.OrderCancel.Decision.CANCEL_AND_RELEASE;
import static dev.aggregator.order.OrderCancel.Decision.REFUSE_CALLING;
import static dev.aggregator.order.OrderCancel.Decision.REFUSE_SYNCED;
import static dev.aggregator.order.OrderCancel.decide;
import static org.assertj.core.api.Assertions.assertThat;

class OrderCancelTest {

    @Test
    void anOrderIsCancelledOnlyWhileItsVendorCannotHaveIt() {
        assertThat(decide("PENDING", 0)).isEqualTo(CANCEL_AND_RELEASE);
        assertThat(decide("PENDING", 1)).isEqualTo(REFUSE_CALLING);
        assertThat(decide("SYNCED", 0)).isEqualTo(REFUSE_SYNCED);
        // FAILED: stock is back already; cancelling keeps a replay from sending it, unless a call's outcome is unknown
        assertThat(decide("FAILED", 0)).isEqualTo(CANCEL);
        assertThat(decide("FAILED", 2)).isEqualTo(REFUSE_CALLING);
        assertThat(decide("CANCELLED", 0)).isEqualTo(ALREADY);
    }
}
