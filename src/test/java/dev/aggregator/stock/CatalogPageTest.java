package dev.aggregator.stock;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogPageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s);
    }

    @Test
    void pagedAnswerPointsToTheNextPage() throws Exception {
        CatalogPage first = CatalogPage.parse(json("{\"products\":[{},{},{}],\"total\":7,\"skip\":0,\"limit\":3}"), 0);
        assertThat(first.nextSkip()).isEqualTo(3);
        assertThat(first.pageSize()).isEqualTo(3);
        CatalogPage second = CatalogPage.parse(json("{\"products\":[{},{},{}],\"total\":7,\"skip\":3,\"limit\":3}"), 3);
        assertThat(second.nextSkip()).isEqualTo(6);
        CatalogPage last = CatalogPage.parse(json("{\"products\":[{}],\"total\":7,\"skip\":6,\"limit\":1}"), 6);
        assertThat(last.hasNext()).isFalse();
    }

    @Test
    void aVendorThatDoesNotAdvanceCannotLoopUs() throws Exception {
        CatalogPage empty = CatalogPage.parse(json("{\"products\":[],\"total\":100,\"skip\":30,\"limit\":30}"), 30);
        assertThat(empty.hasNext()).isFalse();
        // A vendor ignoring ?skip= keeps answering page 0: stop instead of re-reading forever.
        CatalogPage stuck = CatalogPage.parse(json("{\"products\":[{},{}],\"total\":100,\"skip\":0,\"limit\":2}"), 40);
        assertThat(stuck.hasNext()).isFalse();
    }

    @Test
    void totalMissingMeansOnePage() throws Exception {
        assertThat(CatalogPage.parse(json("{\"products\":[{},{}]}"), 0).hasNext()).isFalse();
    }

    @Test
    void rejectsOtherShapes() {
        assertThatThrownBy(() -> CatalogPage.parse(json("{\"items\":[]}"), 0)).isInstanceOf(VendorAnswerException.class);
        assertThatThrownBy(() -> CatalogPage.parse(json("42"), 0)).isInstanceOf(VendorAnswerException.class);
    }
}
