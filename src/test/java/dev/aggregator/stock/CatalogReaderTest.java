package dev.aggregator.stock;

import java.io.ByteArrayInputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CatalogReaderTest {

    private final CatalogReader reader = new CatalogReader(new ObjectMapper(), 2, 50);
    private Exchange exchange;

    @BeforeEach
    void poll() {
        exchange = new DefaultExchange(new DefaultCamelContext());
        exchange.setProperty(CatalogReader.VENDOR, "v");
        exchange.setProperty(CatalogReader.VENDOR_URL, "http://v/products");
        reader.begin(exchange);
    }

    private Iterator<Map<String, Object>> read(String answer) throws Exception {
        return reader.read(new ByteArrayInputStream(answer.getBytes(StandardCharsets.UTF_8)), exchange);
    }

    private static List<List<String>> skus(Iterator<Map<String, Object>> envelopes) {
        List<List<String>> batches = new ArrayList<>();
        envelopes.forEachRemaining(e -> {
            @SuppressWarnings("unchecked")
            List<JsonNode> products = (List<JsonNode>) e.get("products");
            batches.add(products.stream().map(p -> p.path("sku").asText()).toList());
        });
        return batches;
    }

    @Test
    void aBareArrayIsTheWholeCatalogueReadInBatches() throws Exception {
        Iterator<Map<String, Object>> envelopes = read("[{\"sku\":\"a\"},{\"sku\":\"b\"},{\"sku\":\"c\"},{\"sku\":\"d\"},{\"sku\":\"e\"}]");
        assertThat(exchange.getProperty(CatalogReader.MORE, Boolean.class)).isFalse();
        Map<String, Object> first = envelopes.next();
        assertThat(first).containsEntry("vendor", "v").containsEntry("source", "http://v/products")
                .containsEntry("fetchedAt", exchange.getProperty(CatalogReader.FETCHED_AT));
        // read as they are asked for: the count follows the envelopes handed out so far
        assertThat(exchange.getProperty(CatalogReader.PRODUCTS, Integer.class)).isEqualTo(2);
        assertThat(skus(envelopes)).containsExactly(List.of("c", "d"), List.of("e"));
        assertThat(exchange.getProperty(CatalogReader.PRODUCTS, Integer.class)).isEqualTo(5);
        assertThat(exchange.getProperty(CatalogReader.PAGES, Integer.class)).isEqualTo(1);
    }

    @Test
    void aFullLastBatchIsNotFollowedByAnEmptyOne() throws Exception {
        assertThat(skus(read("[{\"sku\":\"a\"},{\"sku\":\"b\"},{\"sku\":\"c\"},{\"sku\":\"d\"}]")))
                .containsExactly(List.of("a", "b"), List.of("c", "d"));
        assertThat(read("[]").hasNext()).isFalse();
    }

    @Test
    void aTruncatedArrayFailsAfterWhatWasReadable() throws Exception {
        Iterator<Map<String, Object>> envelopes = read("[{\"sku\":\"a\"},{\"sku\":\"b\"},{\"sku\":\"c\"}");
        assertThat(envelopes.next()).isNotNull();
        assertThatThrownBy(envelopes::hasNext).isInstanceOf(UncheckedIOException.class)
                .hasMessageContaining("Unexpected end-of-input");
    }

    @Test
    void aPageIsReadWholeAndPointsToTheNext() throws Exception {
        Iterator<Map<String, Object>> envelopes = read(
                "{\"products\":[{\"sku\":\"a\"},{\"sku\":\"b\"},{\"sku\":\"c\"}],\"total\":7,\"skip\":0,\"limit\":3}");
        assertThat(exchange.getProperty(CatalogReader.MORE, Boolean.class)).isTrue();
        assertThat(exchange.getProperty(CatalogReader.SKIP, Integer.class)).isEqualTo(3);
        assertThat(exchange.getProperty(CatalogReader.PAGE_SIZE, Integer.class)).isEqualTo(50);
        assertThat(exchange.getProperty(CatalogReader.PRODUCTS, Integer.class)).isEqualTo(3);
        assertThat(skus(envelopes)).containsExactly(List.of("a", "b"), List.of("c"));
    }

    @Test
    void anEmptyOrOtherAnswerIsRefused() {
        assertThatThrownBy(() -> read("")).isInstanceOf(VendorAnswerException.class).hasMessage("answered no JSON");
        assertThatThrownBy(() -> read("42")).isInstanceOf(VendorAnswerException.class);
    }

    /**
     * Issue 24: a vendor file's one-array answer is mapped record by record as it is read (a 25,000-product
     * array read whole took four times the full GCs of the default reader); a bad record is marked, not fatal.
     */
    @Test
    void aMappedOneArrayAnswerIsStreamedAndMappedRecordByRecord() throws Exception {
        var api = dev.aggregator.config.VendorApi.of(Map.of("paging", "none", "records", ".[]", "id", ".code",
                "name", ".label", "price", ".cents / 100", "stock", ".qty"));
        var config = new dev.aggregator.config.VendorConfig("m", "http://m/items", null, null, null, null, null, null, api);
        CatalogReader mappedReader = new CatalogReader(new ObjectMapper(), 2, 50, java.time.Instant::now,
                vendor -> java.util.Optional.of(dev.aggregator.vendor.VendorAccess.of(config)), (vendor, key) -> CatalogReader.Validators.NONE);
        Exchange poll = new DefaultExchange(new DefaultCamelContext());
        poll.setProperty(CatalogReader.VENDOR, "m");
        mappedReader.begin(poll);
        poll.getMessage().setHeader(Exchange.HTTP_URI, "http://m/items");
        Iterator<Map<String, Object>> envelopes = mappedReader.read(new ByteArrayInputStream(
                "[{\"code\":\"A\",\"label\":\"a\",\"cents\":150,\"qty\":2},{\"code\":\"B\",\"label\":\"b\",\"cents\":\"x\",\"qty\":1},{\"code\":\"C\",\"label\":\"c\",\"cents\":5,\"qty\":0}]"
                        .getBytes(StandardCharsets.UTF_8)), poll);
        assertThat(poll.getProperty(CatalogReader.MORE, Boolean.class)).isFalse();
        assertThat(poll.getProperty(CatalogReader.PRODUCTS, Integer.class)).as("nothing read before it is asked for").isZero();
        @SuppressWarnings("unchecked")
        List<JsonNode> first = (List<JsonNode>) envelopes.next().get("products");
        assertThat(first).hasSize(2);
        assertThat(first.get(0).get("id").asText()).isEqualTo("A");
        assertThat(first.get(0).get("price").decimalValue()).isEqualByComparingTo("1.5");
        assertThat(first.get(0).at("/record/code").asText()).isEqualTo("A");
        assertThat(first.get(1).get(ProductNormalizer.MAPPING_ERROR).asText()).startsWith("price:");
        @SuppressWarnings("unchecked")
        List<JsonNode> second = (List<JsonNode>) envelopes.next().get("products");
        assertThat(second).extracting(p -> p.get("id").asText()).containsExactly("C");
        assertThat(envelopes.hasNext()).isFalse();

        // a first batch where no record maps to a product: the poll fails before anything is queued
        Exchange wrong = new DefaultExchange(new DefaultCamelContext());
        wrong.setProperty(CatalogReader.VENDOR, "m");
        mappedReader.begin(wrong);
        wrong.getMessage().setHeader(Exchange.HTTP_URI, "http://m/items");
        Iterator<Map<String, Object>> none = mappedReader.read(new ByteArrayInputStream(
                "[{\"code\":\"A\",\"label\":\"a\",\"qty\":2},{\"code\":\"B\",\"label\":\"b\",\"qty\":1},{\"code\":\"C\",\"cents\":5,\"qty\":0}]"
                        .getBytes(StandardCharsets.UTF_8)), wrong);
        assertThatThrownBy(none::hasNext).isInstanceOf(VendorAnswerException.class)
                .hasMessageStartingWith(CatalogReader.NO_PRODUCT_FROM_MAPPING + " (2 records, none usable; the first: mapping failed: price:");
    }
}
