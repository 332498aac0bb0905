package dev.aggregator.order;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CartStatusTest {

    @Test
    void theCartsStatusComesFromItsLines() {
        assertThat(CartStatus.of(List.of("SYNCED", "SYNCED"))).isEqualTo("SYNCED");
        assertThat(CartStatus.of(List.of("SYNCED", "PENDING"))).isEqualTo("PENDING");
        assertThat(CartStatus.of(List.of("PENDING", "FAILED", "SYNCED"))).isEqualTo("FAILED");
        // a cancelled line is left out: the rest decides
        assertThat(CartStatus.of(List.of("SYNCED", "CANCELLED"))).isEqualTo("SYNCED");
        assertThat(CartStatus.of(List.of("PENDING", "CANCELLED"))).isEqualTo("PENDING");
        assertThat(CartStatus.of(List.of("CANCELLED", "CANCELLED"))).isEqualTo("CANCELLED");
    }
}
