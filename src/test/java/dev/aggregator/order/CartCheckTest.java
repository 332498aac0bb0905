package dev.aggregator.order;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class CartCheckTest {

    private static OrderRequest line(String vendor, String id, int quantity) {
        return new OrderRequest(vendor, id, quantity, null, null);
    }

    private static CartCheck.Product p(String vendor, String id) {
        return new CartCheck.Product(vendor, id);
    }

    @Test
    void demandIsSummedPerProductInTheLockOrder() {
        Map<CartCheck.Product, Integer> demand = CartCheck.demand(List.of(line("b", "1", 1), line("a", "2", 2), line("a", "10", 1), line("b", "1", 3)));
        // vendor, then product id (as text): the order every cart locks its products in
        assertThat(demand.keySet()).containsExactly(p("a", "10"), p("a", "2"), p("b", "1"));
        assertThat(demand.get(p("b", "1"))).isEqualTo(4);
    }

    @Test
    void everyShortLineIsNamedNotOnlyTheFirst() {
        List<OrderRequest> lines = List.of(line("a", "1", 3), line("b", "1", 1), line("a", "2", 1), line("a", "2", 1));
        Map<CartCheck.Product, Integer> available = Map.of(p("a", "1"), 2, p("b", "1"), 5, p("a", "2"), 1);
        List<String> problems = CartCheck.problems(lines, available, false);
        assertThat(problems).hasSize(3);
        assertThat(problems.get(0)).startsWith("lines[0] (product '1' of vendor 'a')").contains("3 ordered, 2 available");
        // two lines of one product, each alone within stock, together not
        assertThat(problems.get(1)).startsWith("lines[2]").contains("2 ordered in all lines of this product, 1 available");
        assertThat(problems.get(2)).startsWith("lines[3]");
    }

    @Test
    void unknownProductsAreNamedAndACartWithinStockHasNoProblems() {
        List<OrderRequest> lines = List.of(line("a", "1", 2), line("a", "9", 1));
        assertThat(CartCheck.problems(lines, Map.of(p("a", "1"), 2), true)).containsExactly("lines[1] (product '9' of vendor 'a'): unknown product");
        assertThat(CartCheck.problems(List.of(line("a", "1", 2)), Map.of(p("a", "1"), 2), false)).isEmpty();
    }
}
