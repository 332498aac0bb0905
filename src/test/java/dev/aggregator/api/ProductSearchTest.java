package dev.aggregator.api;

import java.math.BigDecimal;

import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The parsing rules of GET /products' search, filters and sorts (issue 26), and their cursors. */
class ProductSearchTest {

    private static ProductSearch parse(String vendor, String cursor, String q, String inStock, String min, String max, String sort) {
        return ProductSearch.parse(vendor, null, null, cursor, q, inStock, min, max, sort);
    }

    private static void rejected(String parameter, Runnable call) {
        assertThatThrownBy(call::run).as(parameter).isInstanceOfSatisfying(ProblemException.class, p -> {
            assertThat(p.status()).isEqualTo(400);
            assertThat(p.detail()).contains(parameter);
        });
    }

    @Test
    void onlyTheSearchParametersMakeItASearch() {
        assertThat(ProductSearch.asked(null, null, null, null, null)).isFalse();
        assertThat(ProductSearch.asked(" ", "", null, "", " ")).isFalse();
        assertThat(ProductSearch.asked("a", null, null, null, null)).isTrue();
        assertThat(ProductSearch.asked(null, "true", null, null, null)).isTrue();
        assertThat(ProductSearch.asked(null, null, "1", null, null)).isTrue();
        assertThat(ProductSearch.asked(null, null, null, "1", null)).isTrue();
        assertThat(ProductSearch.asked(null, null, null, null, "price")).isTrue();
    }

    @Test
    void valuesAreNormalizedSoThatEqualRequestsAreEqualKeys() {
        ProductSearch s = ProductSearch.parse(" vendorA ", "10", "2", null, "  Mascara ", "TRUE", "10.50", "020", "-price");
        assertThat(s).isEqualTo(new ProductSearch("vendorA", "Mascara", true, new BigDecimal("10.5"), new BigDecimal("20"),
                ProductSort.PRICE_DESC, 10, 2, null));
        assertThat(parse(null, null, "x", null, "10", null, null)).isEqualTo(parse(null, null, "x", null, "10.000", null, null));
        assertThat(parse(null, null, "x", "false", null, null, null).inStock()).isFalse();
        ProductSearch defaults = parse(null, null, null, null, null, null, "name");
        assertThat(defaults.limit()).isEqualTo(ProductListing.DEFAULT_LIMIT);
        assertThat(defaults.offset()).isZero();
        assertThat(defaults.filtered()).isFalse();
        assertThat(parse(null, null, null, null, "0", null, null).filtered()).isTrue();
    }

    @Test
    void sortsAreTheFourNamedOnes() {
        assertThat(ProductSort.parse(null)).isEqualTo(ProductSort.DEFAULT);
        assertThat(ProductSort.parse("price")).isEqualTo(ProductSort.PRICE);
        assertThat(ProductSort.parse("-price")).isEqualTo(ProductSort.PRICE_DESC);
        assertThat(ProductSort.parse("name")).isEqualTo(ProductSort.NAME);
        assertThat(ProductSort.parse(" -updatedAt ")).isEqualTo(ProductSort.UPDATED_DESC);
        for (String bad : new String[] {"vendor", "Price", "-name", "updatedAt", "price,name", "+price"}) {
            rejected("sort", () -> ProductSort.parse(bad));
        }
    }

    @Test
    void eachBadValueIsA400NamingIt() {
        for (String bad : new String[] {"-1", "1e3", "abc", "1.2.3", "NaN", "Infinity", "0x10", "1234567890123", "1.1234567", "1,5"}) {
            rejected("minPrice", () -> parse(null, null, null, null, bad, null, null));
            rejected("maxPrice", () -> parse(null, null, null, null, null, bad, null));
        }
        rejected("minPrice", () -> parse(null, null, null, null, "10", "9.99", null));
        rejected("maxPrice", () -> parse(null, null, null, null, "10", "9.99", null));
        for (String bad : new String[] {"yes", "1", "on", "truex"}) {
            rejected("inStock", () -> parse(null, null, null, bad, null, null, null));
        }
        rejected("q", () -> parse(null, null, "x".repeat(ProductSearch.MAX_Q + 1), null, null, null, null));
        rejected("q", () -> parse(null, null, "a\0b", null, null, null, null));
        assertThat(parse(null, null, "x".repeat(ProductSearch.MAX_Q), null, null, null, null).q()).hasSize(ProductSearch.MAX_Q);
        rejected("limit", () -> ProductSearch.parse(null, "0", null, null, "x", null, null, null, null));
        rejected("offset", () -> ProductSearch.parse(null, null, "-1", null, "x", null, null, null, null));
    }

    @Test
    void likeWildcardsInQMatchThemselves() {
        assertThat(parse(null, null, "50%_off\\", null, null, null, null).likeQ()).isEqualTo("50\\%\\_off\\\\");
    }

    @Test
    void aCursorContinuesOnlyItsOwnSortAndFilters() {
        ProductSearch byPrice = parse("vendorA", null, "mascara", "true", "1", null, "price");
        String cursor = byPrice.next("vendorA", "7", "9.99").encode();
        ProductSearch next = parse("vendorA", cursor, "mascara", "true", "1.00", null, "price");
        assertThat(next.after()).isEqualTo(new ProductCursor("vendorA", "7", "price", "9.99", byPrice.filtersTag()));

        rejected("cursor", () -> parse("vendorA", cursor, "mascara", "true", "1", null, "-price"));
        rejected("cursor", () -> parse("vendorA", cursor, "mascara", "true", "1", null, null));
        rejected("cursor", () -> parse("vendorB", cursor, "mascara", "true", "1", null, "price"));
        rejected("cursor", () -> parse("vendorA", cursor, "lipstick", "true", "1", null, "price"));
        rejected("cursor", () -> parse("vendorA", cursor, "mascara", null, "1", null, "price"));
        rejected("cursor", () -> parse("vendorA", cursor, "mascara", "true", "2", null, "price"));
        rejected("cursor", () -> parse("vendorA", cursor, "mascara", "true", "1", "5", "price"));
        // the default listing's cursor is not a search's, and a search's is not the default listing's
        String plain = new ProductCursor("vendorA", "7").encode();
        rejected("cursor", () -> parse("vendorA", plain, "mascara", "true", "1", null, "price"));
        rejected("cursor", () -> ProductListing.query("vendorA", null, null, cursor));
        rejected("cursor", () -> ProductListing.query(null, null, null, cursor));
    }

    @Test
    void aCursorWhoseKeyItsSortCouldNotHaveWrittenIsA400() {
        ProductSearch byPrice = parse(null, null, null, null, null, null, "price");
        rejected("cursor", () -> parse(null, byPrice.next("v", "1", "cheap").encode(), null, null, null, null, "price"));
        ProductSearch byTime = parse(null, null, null, null, null, null, "-updatedAt");
        rejected("cursor", () -> parse(null, byTime.next("v", "1", "2026-12-02").encode(), null, null, null, null, "-updatedAt"));
        assertThat(parse(null, byTime.next("v", "1", "1796212345123456").encode(), null, null, null, null, "-updatedAt").after().key())
                .isEqualTo("1796212345123456");
        ProductSearch byVendor = parse(null, null, "x", null, null, null, null);
        rejected("cursor", () -> parse(null, byVendor.next("v", "1", "9").encode(), "x", null, null, null, null));
        ProductSearch byName = parse(null, null, null, null, null, null, "name");
        assertThat(parse(null, byName.next("v", "1", "").encode(), null, null, null, null, "name").after().key()).isEmpty();
    }

    @Test
    void searchCursorsRoundTripAndMalformedOnesAreRefused() {
        ProductCursor c = new ProductCursor("fournisseur é", "id/?&", "name", "Crème \uD83D\uDE00", "AbCdEfGh");
        assertThat(ProductCursor.decode(c.encode())).isEqualTo(c);
        assertThat(c.searched()).isTrue();
        assertThat(new ProductCursor("v", "1").searched()).isFalse();
        // three or four parts, or an empty sort or filter tag: not written by this service
        for (String raw : new String[] {"v\0001\0price", "v\0001\0price\0001", "v\0001\0\0001\0tag", "v\0001\0price\0001\0",
                "v\0001\0price\0001\0tag\0x"}) {
            String bad = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            rejected("cursor", () -> ProductCursor.decode(bad));
        }
    }

    @Test
    void filtersAreFixedTextWithNamedParameters() {
        ProductSearch all = ProductSearch.parse("v'; drop table products; --", null, null, null, "'; drop", "true", "1", "2", "name");
        assertThat(all.filters()).isEqualTo(" AND p.vendor = :vendor"
                + " AND product_search_text(p.name) LIKE '%' || product_search_text(:q) || '%'"
                + " AND p.vendor_stock - p.reserved > 0 AND p.price >= :minPrice AND p.price <= :maxPrice");
        assertThat(ProductSort.PRICE_DESC.orderBy()).isEqualTo("p.price DESC, p.vendor DESC, length(p.product_id) DESC, p.product_id DESC");
        assertThat(ProductSort.DEFAULT.orderBy()).isEqualTo("p.vendor, length(p.product_id), p.product_id");
        assertThat(ProductSort.PRICE_DESC.after()).startsWith("(p.price, p.vendor, length(p.product_id), p.product_id) < (");
        assertThat(ProductSort.NAME.after()).startsWith("(p.name, p.vendor, length(p.product_id), p.product_id) > (");
    }
}
