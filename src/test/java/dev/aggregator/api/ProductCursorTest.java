package dev.aggregator.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProductCursorTest {

    @Test
    void roundTrips() {
        for (ProductCursor c : new ProductCursor[] {new ProductCursor("vendorA", "2"), new ProductCursor("vendorB", "VB-1001"),
                new ProductCursor("fournisseur é", "id/with?&=chars"), new ProductCursor("v", "\uD83D\uDE00 emoji")}) {
            String encoded = c.encode();
            assertThat(encoded).matches("[A-Za-z0-9_-]+");
            assertThat(ProductCursor.decode(encoded)).isEqualTo(c);
        }
        assertThat(new ProductCursor("vendorA", "2").encode()).isEqualTo("dmVuZG9yQQAy");
    }

    @Test
    void theKeysetBoundCountsCharactersAsPostgresDoes() {
        assertThat(new ProductCursor("v", "\uD83D\uDE00x").idLength()).isEqualTo(2);
        assertThat(ProductCursor.START.idLength()).isEqualTo(-1);
        assertThat(ProductCursor.START.idOrEmpty()).isEmpty();
    }

    @Test
    void noCursorIsNull() {
        assertThat(ProductCursor.decode(null)).isNull();
        assertThat(ProductCursor.decode(" ")).isNull();
    }

    @Test
    void anythingElseIsA400NamingTheParameter() {
        for (String bad : new String[] {"!!!", "abc", "dmVuZG9yQQ", b64("a\0b\0c"), b64("\0x"), b64("x\0"), "A".repeat(3000),
                Base64.getUrlEncoder().encodeToString(new byte[] {'v', 0, (byte) 0xC3})}) {
            assertThatThrownBy(() -> ProductCursor.decode(bad)).as(bad).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(400);
                assertThat(p.detail()).startsWith("cursor ");
            });
        }
    }

    @Test
    void aCursorBelongsToItsVendorsListing() {
        String ofA = new ProductCursor("vendorA", "7").encode();
        assertThat(ProductListing.query("vendorA", null, null, ofA).after()).isEqualTo(new ProductCursor("vendorA", "7"));
        assertThat(ProductListing.query(null, null, null, ofA).after()).isEqualTo(new ProductCursor("vendorA", "7"));
        assertThat(ProductListing.query(null, null, null, null).after()).isSameAs(ProductCursor.START);
        assertThatThrownBy(() -> ProductListing.query("vendorB", null, null, ofA))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.detail()).contains("cursor").contains("vendorA"));
        ProductListing.Query q = ProductListing.query(" vendorA ", "10", "3", null);
        assertThat(q).isEqualTo(new ProductListing.Query("vendorA", 10, 3, ProductCursor.START));
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}
