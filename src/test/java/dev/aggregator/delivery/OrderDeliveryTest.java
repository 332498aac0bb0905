package dev.aggregator.delivery;

import java.util.List;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.Metrics;
import dev.aggregator.vendor.VendorRegistry;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** OrderDelivery's decisions as plain method calls: no exchange, no route, no database. */
class OrderDeliveryTest {

    private static final String ID = "0b0c0d0e-0000-0000-0000-000000000001";

    private final OrderDelivery delivery = new OrderDelivery(null, null,
            new VendorRegistry(new DefaultCamelContext(), List.of()), new ObjectMapper(), new Metrics(null));

    @Test
    void theMessageNamesItsOrderOrIsUnusable() {
        assertThat(delivery.orderId(("{\"orderId\":\"" + ID + "\",\"vendor\":\"v\"}").getBytes())).isEqualTo(ID);
        assertThatThrownBy(() -> delivery.orderId("nope".getBytes())).isInstanceOf(InvalidOrderMessageException.class)
                .hasMessage("message is not JSON");
        assertThatThrownBy(() -> delivery.orderId("{\"orderId\":\"x\"}".getBytes())).isInstanceOf(InvalidOrderMessageException.class)
                .hasMessage("message has no valid orderId");
    }

    @Test
    void thePutCarriesTheOrderAsTheContractAsks() throws Exception {
        OrderToDeliver order = new OrderToDeliver(ID, "v", "p-7", 3, "PENDING", null, 0, System.nanoTime());
        assertThat(delivery.putBody(order)).isEqualTo("{\"orderId\":\"" + ID + "\",\"productId\":\"p-7\",\"quantity\":3}");
    }

    @Test
    void anOrderForAVendorNoLongerConfiguredHasNowhereToGo() {
        OrderToDeliver order = new OrderToDeliver(ID, "gone", "1", 1, "PENDING", null, 0, System.nanoTime());
        assertThatThrownBy(() -> delivery.putUrl(order)).isInstanceOf(VendorGoneException.class).hasMessageContaining("'gone'");
    }

    @Test
    void onlyAPendingOrderIsSentAndItsWaitIsDatedFromWhenItWasRead() {
        long readAt = System.nanoTime();
        OrderToDeliver waited = new OrderToDeliver(ID, "v", "1", 1, "PENDING", 2.5, 0, readAt);
        assertThat(waited.pending()).isTrue();
        assertThat(new OrderToDeliver(ID, "v", "1", 1, "SYNCED", null, 0, readAt).pending()).isFalse();
        assertThat(new OrderToDeliver(ID, "v", "1", 1, "FAILED", null, 0, readAt).pending()).isFalse();
        assertThat(waited.waitingSinceNanos()).isEqualTo(readAt - 2_500_000_000L);
        assertThat(new OrderToDeliver(ID, "v", "1", 1, "PENDING", null, 0, readAt).waitingSinceNanos()).as("never waited").isNull();
    }

    @Test
    void aMessageWithoutAnOrderIsDeadLetteredWithoutTouchingAnyOrder() {
        // no order id, or an unusable message: nothing to mark FAILED (the database is not asked: it is null here)
        assertThat(delivery.failed(null, new InvalidOrderMessageException("message is not JSON"), "r", 0, "l", null, "nope")).isTrue();
        assertThat(delivery.failed(ID, new InvalidOrderMessageException("order " + ID + " does not exist"), "r", 0, "l", null, "{}")).isTrue();
    }

    @Test
    void theReasonNamesTheVendorsAnswer() {
        HttpOperationFailedException answer = new HttpOperationFailedException("http://v/products/1", 503, "Unavailable", null, null, "");
        assertThat(delivery.reason(answer, "v")).contains("503");
    }
}
