package dev.aggregator.stock;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class ProductNormalizerTest {

    private final ProductNormalizer normalizer = new ProductNormalizer(new ObjectMapper());

    private Map<String, Object> normalize(String product) {
        String envelope = "{\"vendor\":\"v\",\"source\":\"http://v/products\",\"fetchedAt\":\"2026-11-28T10:00:00Z\",\"product\":" + product + "}";
        return normalizer.normalize(envelope.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void dummyjsonShape() {
        Map<String, Object> row = normalize("{\"id\":1,\"title\":\"Essence Mascara Lash Princess\",\"price\":9.99,\"stock\":99,\"brand\":\"Essence\"}");
        assertThat(row).containsEntry("vendor", "v").containsEntry("productId", "1")
                .containsEntry("name", "Essence Mascara Lash Princess").containsEntry("price", new BigDecimal("9.99"))
                .containsEntry("stock", 99).containsEntry("source", "http://v/products");
        assertThat(row.get("fetchedAt")).isEqualTo(OffsetDateTime.parse("2026-11-28T10:00:00Z"));
        assertThat(row.get("raw").toString()).contains("\"brand\":\"Essence\"");
    }

    @Test
    void otherVendorsAliases() {
        Map<String, Object> b = normalize("{\"sku\":\"VB-1001\",\"name\":\"Drill\",\"cost\":\"89.5\",\"inventory\":12}");
        assertThat(b).containsEntry("productId", "VB-1001").containsEntry("name", "Drill")
                .containsEntry("price", new BigDecimal("89.50")).containsEntry("stock", 12);
        Map<String, Object> c = normalize("{\"id\":\"X-1\",\"name\":\"Thing\",\"price\":0,\"quantity\":0}");
        assertThat(c).containsEntry("stock", 0).containsEntry("price", new BigDecimal("0.00"));
    }

    @Test
    void firstAliasWinsWhenBothArePresent() {
        Map<String, Object> row = normalize("{\"id\":5,\"sku\":\"S-5\",\"title\":\"T\",\"name\":\"N\",\"price\":1,\"cost\":2,\"stock\":3,\"inventory\":4}");
        assertThat(row).containsEntry("productId", "5").containsEntry("name", "T")
                .containsEntry("price", new BigDecimal("1.00")).containsEntry("stock", 3);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"title\":\"T\",\"price\":1,\"stock\":1}|product has no id or sku",
            "{\"id\":true,\"title\":\"T\",\"price\":1,\"stock\":1}|product id must be a string or an integer",
            "{\"id\":1,\"price\":1,\"stock\":1}|product has no title or name",
            "{\"id\":1,\"title\":\"  \",\"price\":1,\"stock\":1}|product has no title or name",
            "{\"id\":1,\"title\":\"T\",\"stock\":1}|product has no price",
            "{\"id\":1,\"title\":\"T\",\"price\":-1,\"stock\":1}|price -1 is out of range",
            "{\"id\":1,\"title\":\"T\",\"price\":\"cheap\",\"stock\":1}|price must be a number",
            "{\"id\":1,\"title\":\"T\",\"price\":1}|product has no stock",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":-2}|stock -2 is negative",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1.5}|stock 1.5 is not a whole number",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":99999999999}|is not a whole number in range",
            "[1,2]|product is missing or not an object"})
    void rejectsWhatCannotBeStored(String product, String reason) {
        assertThatThrownBy(() -> normalize(product)).isInstanceOf(InvalidProductException.class).hasMessageContaining(reason);
    }

    @Test
    void batchesSplitGoodFromBadAndKeepTheLastOfARepeatedId() {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        String envelope = "{\"vendor\":\"v\",\"fetchedAt\":\"2026-11-28T10:00:00Z\",\"products\":["
                + "{\"id\":1,\"title\":\"A\",\"price\":1,\"stock\":1},{\"id\":2,\"title\":\"B\",\"stock\":1},"
                + "{\"id\":1,\"title\":\"A again\",\"price\":1,\"stock\":5}]}";
        var rows = normalizer.normalizeBatch(envelope.getBytes(StandardCharsets.UTF_8), exchange);
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0)).containsEntry("name", "A again").containsEntry("stock", 5);
        @SuppressWarnings("unchecked")
        var rejected = (java.util.List<ProductNormalizer.Rejected>) exchange.getProperty(ProductNormalizer.REJECTED);
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo("product has no price");
            assertThat(r.envelope()).contains("\"product\":{\"id\":2").contains("\"vendor\":\"v\"").doesNotContain("products");
        });
        assertThat(exchange.getProperty(ProductNormalizer.VENDOR)).isEqualTo("v");
    }

    @Test
    void rejectsBrokenEnvelopes() {
        assertThatThrownBy(() -> normalizer.normalize("nope".getBytes())).hasMessageStartingWith("message is not JSON");
        assertThatThrownBy(() -> normalizer.normalize("{\"product\":{}}".getBytes())).hasMessage("vendor is missing");
        assertThatThrownBy(() -> normalizer.normalize("{\"vendor\":\"v\",\"product\":{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1}}".getBytes()))
                .hasMessage("fetchedAt is missing");
        assertThatThrownBy(() -> normalizer.normalize("{\"vendor\":\"v\",\"fetchedAt\":\"yesterday\",\"product\":{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1}}".getBytes()))
                .hasMessageContaining("is not an ISO-8601 instant");
    }

    @Test
    void recordsetCarriesEveryColumnAndTheVendorsRecordAsJson() throws Exception {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        String envelope = "{\"vendor\":\"v\",\"source\":\"http://v/p\",\"fetchedAt\":\"2026-11-28T10:00:00Z\",\"products\":["
                + "{\"id\":1,\"title\":\"A \\\"quoted\\\"\",\"price\":1.005,\"stock\":7,\"tags\":[\"x\"]},"
                + "{\"sku\":\"B-2\",\"name\":\"B\",\"cost\":\"12345678901.10\",\"inventory\":0}]}";
        var rows = normalizer.normalizeBatch(envelope.getBytes(StandardCharsets.UTF_8), exchange);
        var recordset = new ObjectMapper().readTree(normalizer.recordset(rows));
        assertThat(recordset).hasSize(2);
        var a = recordset.get(0);
        assertThat(a.get("vendor").asText()).isEqualTo("v");
        assertThat(a.get("product_id").asText()).isEqualTo("1");
        assertThat(a.get("name").asText()).isEqualTo("A \"quoted\"");
        assertThat(a.get("price").decimalValue()).isEqualByComparingTo("1.01");
        assertThat(a.get("stock").asInt()).isEqualTo(7);
        assertThat(a.get("source").asText()).isEqualTo("http://v/p");
        assertThat(a.get("fetched_at").asText()).isEqualTo("2026-11-28T10:00:00Z");
        assertThat(a.get("raw").isObject()).isTrue();
        assertThat(a.get("raw").get("tags").get(0).asText()).isEqualTo("x");
        assertThat(recordset.get(1).get("price").decimalValue()).isEqualByComparingTo("12345678901.10");
        assertThat(recordset.get(1).get("raw").get("sku").asText()).isEqualTo("B-2");
    }

    @Test
    void recordsetWritesEachRowsOwnFetchTime() throws Exception {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        var rows = new java.util.ArrayList<java.util.Map<String, Object>>();
        for (String at : new String[] {"2026-11-28T10:00:00Z", "2026-11-28T10:00:00Z", "2026-11-28T11:30:00.250Z", "2026-11-28T10:00:00Z"}) {
            String envelope = "{\"vendor\":\"v\",\"source\":\"s\",\"fetchedAt\":\"" + at + "\",\"products\":["
                    + "{\"id\":" + rows.size() + ",\"title\":\"T\",\"price\":1,\"stock\":1}]}";
            rows.addAll(normalizer.normalizeBatch(envelope.getBytes(StandardCharsets.UTF_8), exchange));
        }
        var recordset = new ObjectMapper().readTree(normalizer.recordset(rows));
        assertThat(recordset.findValuesAsText("fetched_at")).containsExactly(
                "2026-11-28T10:00:00Z", "2026-11-28T10:00:00Z", "2026-11-28T11:30:00.250Z", "2026-11-28T10:00:00Z");
    }

    /**
     * Issue 25, item 1: a number string with a huge or tiny exponent is rejected in a few words, at once:
     * the rejection used to write "1e999999999" out (toPlainString, a billion digits) and filled the heap,
     * and "1e-999999999" made setScale throw ArithmeticException, which lost the whole batch.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\":1,\"title\":\"T\",\"price\":\"1e999999999\",\"stock\":1}|price",
            "{\"id\":1,\"title\":\"T\",\"price\":\"-1e999999999\",\"stock\":1}|price",
            "{\"id\":1,\"title\":\"T\",\"price\":\"1e-999999999\",\"stock\":1}|price",
            "{\"id\":1,\"title\":\"T\",\"price\":\"0e-999999999\",\"stock\":1}|price",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":\"1e999999999\"}|stock",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":\"-1e999999999\"}|stock",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":\"1e-999999999\"}|stock",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1e400}|stock"})
    void aNumberWithAHugeOrTinyExponentIsRejectedInAFewWords(String product, String field) {
        assertTimeoutPreemptively(java.time.Duration.ofSeconds(5), () ->
                assertThatThrownBy(() -> normalize(product)).isInstanceOf(InvalidProductException.class)
                        .hasMessageStartingWith(field + " ")
                        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(120)));
    }

    @Test
    void whatARejectionQuotesIsShort() {
        String words = "x".repeat(100_000);
        String digits = "1" + "0".repeat(100_000);
        for (String product : new String[] {
                "{\"id\":1,\"title\":\"T\",\"price\":\"" + words + "\",\"stock\":1}",
                "{\"id\":1,\"title\":\"T\",\"price\":\"" + digits + "\",\"stock\":1}",
                "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":\"" + digits + "\"}",
                "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1,\"" + ProductNormalizer.MAPPING_ERROR + "\":\"" + words + "\"}"}) {
            assertThatThrownBy(() -> normalize(product)).isInstanceOf(InvalidProductException.class)
                    .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
        }
        // the bounds leave every real price and stock alone
        assertThat(normalize("{\"id\":1,\"title\":\"T\",\"price\":\"0.1000000000000000055511151231257827\",\"stock\":\"1.0E+2\"}"))
                .containsEntry("price", new BigDecimal("0.10")).containsEntry("stock", 100);
        assertThat(normalize("{\"id\":1,\"title\":\"T\",\"price\":\"999999999999.99\",\"stock\":2147483647}"))
                .containsEntry("price", new BigDecimal("999999999999.99")).containsEntry("stock", Integer.MAX_VALUE);
    }

    /**
     * Issue 25, item 5: PostgreSQL's text and jsonb refuse a NUL character, and the statement that met one lost
     * its whole batch; a product that has one, anywhere in its record, is rejected by itself.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"id\":1,\"title\":\"A\\u0000B\",\"price\":1,\"stock\":1}|name",
            "{\"id\":\"1\\u0000\",\"title\":\"T\",\"price\":1,\"stock\":1}|id",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1,\"tags\":[{\"note\":\"x\\u0000\"}]}|tags",
            "{\"id\":1,\"title\":\"T\",\"price\":1,\"stock\":1,\"a\\u0000\":1}|record"})
    void aNulCharacterAnywhereInAProductRejectsIt(String product, String where) {
        assertThatThrownBy(() -> normalize(product)).isInstanceOf(InvalidProductException.class)
                .hasMessageContaining("NUL").hasMessageContaining(where);
    }

    @Test
    void aBatchKeepsEveryProductButTheOneThatCannotBeStored() {
        org.apache.camel.Exchange exchange = new org.apache.camel.support.DefaultExchange(new org.apache.camel.impl.DefaultCamelContext());
        String envelope = "{\"vendor\":\"v\",\"fetchedAt\":\"2026-11-28T10:00:00Z\",\"products\":["
                + "{\"id\":1,\"title\":\"A\",\"price\":1,\"stock\":1},"
                + "{\"id\":2,\"title\":\"B\",\"price\":\"1e-999999999\",\"stock\":1},"
                + "{\"id\":3,\"title\":\"C\\u0000\",\"price\":1,\"stock\":1},"
                + "{\"id\":4,\"title\":\"D\",\"price\":1,\"stock\":\"1e999999999\"},"
                + "{\"id\":5,\"title\":\"E\",\"price\":1,\"stock\":5}]}";
        var rows = normalizer.normalizeBatch(envelope.getBytes(StandardCharsets.UTF_8), exchange);
        assertThat(rows).extracting(r -> r.get("productId")).containsExactly("1", "5");
        @SuppressWarnings("unchecked")
        var rejected = (java.util.List<ProductNormalizer.Rejected>) exchange.getProperty(ProductNormalizer.REJECTED);
        assertThat(rejected).extracting(ProductNormalizer.Rejected::envelope)
                .allSatisfy(e -> assertThat(e).contains("\"vendor\":\"v\""))
                .satisfiesExactly(e -> assertThat(e).contains("\"id\":2"), e -> assertThat(e).contains("\"id\":3"),
                        e -> assertThat(e).contains("\"id\":4"));
    }

    /** Issue 25, item 6: the reader replaces a record nested too deep by a product carrying why; it is rejected with that. */
    @Test
    void aRecordTheReaderCouldNotTakeIsRejectedWithItsReason() {
        assertThatThrownBy(() -> normalize("{\"id\":1,\"" + ProductNormalizer.READ_ERROR + "\":\"record nested more than 997 levels deep\"}"))
                .isInstanceOf(InvalidProductException.class).hasMessage("record nested more than 997 levels deep");
    }
}
