package dev.aggregator.order;

import java.math.BigDecimal;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OrderRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static OrderRequest parse(String body) {
        return OrderRequest.parse(body.getBytes(), JSON);
    }

    @Test
    void theSeedsBody() {
        OrderRequest r = parse("{\"id\": 1, \"vendor\": \"vendorA\", \"name\": \"Essence Mascara Lash Princess\", \"price\": 9.99, \"quantity\": 1}");
        assertThat(r).isEqualTo(new OrderRequest("vendorA", "1", 1, "Essence Mascara Lash Princess", new BigDecimal("9.99")));
    }

    @Test
    void stringIdsAndOptionalFields() {
        assertThat(parse("{\"id\":\"VB-1001\",\"vendor\":\"vendorB\",\"quantity\":3}"))
                .isEqualTo(new OrderRequest("vendorB", "VB-1001", 3, null, null));
    }

    @Test
    void fingerprintDependsOnEveryField() {
        OrderRequest a = parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"price\":9.90}");
        assertThat(a.fingerprint()).isEqualTo(parse("{\"quantity\":1,\"vendor\":\"v\",\"id\":1,\"price\":9.9}").fingerprint());
        assertThat(a.fingerprint()).isNotEqualTo(parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":2,\"price\":9.90}").fingerprint());
        assertThat(a.fingerprint()).isNotEqualTo(parse("{\"id\":\"1 \",\"vendor\":\"w\",\"quantity\":1,\"price\":9.90}").fingerprint());
    }

    @Test
    void refusals() {
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1}".repeat(1000)))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.status()).isEqualTo(413));
        assertThatThrownBy(() -> parse("{\"id\":{},\"vendor\":\"v\",\"quantity\":1}")).hasMessageContaining("id must be");
        assertThatThrownBy(() -> parse("{\"id\":\"\",\"vendor\":\"v\",\"quantity\":1}")).hasMessageContaining("id must be");
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\" \",\"quantity\":1}")).hasMessageContaining("vendor must be");
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":null}")).hasMessageContaining("quantity is required");
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"name\":7}")).hasMessageContaining("name must be");
    }

    /** Issue 25, item 9: input Jackson reads as Infinity, or that PostgreSQL's text refuses (NUL), is a 400 naming its field. */
    @Test
    void infinitePricesAndNulCharactersAreRefusedNamingTheField() {
        for (String body : new String[] {
                "{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"price\":1e999}",
                "{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"price\":-1e999}"}) {
            assertThatThrownBy(() -> parse(body)).as(body).isInstanceOfSatisfying(ProblemException.class, p -> {
                assertThat(p.status()).isEqualTo(400);
                assertThat(p.detail()).startsWith("price ");
            });
        }
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"name\":\"a\\u0000b\"}"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.detail()).startsWith("name ").contains("NUL"));
        assertThatThrownBy(() -> parse("{\"id\":\"1\\u0000\",\"vendor\":\"v\",\"quantity\":1}"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.detail()).startsWith("id ").contains("NUL"));
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\"v\\u0000\",\"quantity\":1}"))
                .isInstanceOfSatisfying(ProblemException.class, p -> assertThat(p.detail()).startsWith("vendor ").contains("NUL"));
        // a price that is merely tiny is a price (it rounds like any other)
        assertThat(parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"price\":1e-999}").price()).isNotNull();
    }

    @Test
    void callbackUrlIsOptionalAndPartOfTheFingerprint() {
        OrderRequest plain = parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1}");
        OrderRequest hooked = parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"callbackUrl\":\" https://h.example/x \"}");
        assertThat(plain.callbackUrl()).isNull();
        assertThat(hooked.callbackUrl()).isEqualTo("https://h.example/x");
        assertThat(hooked.fingerprint()).isNotEqualTo(plain.fingerprint());
        // without a callbackUrl the fingerprint is what it was before the field existed (stored Idempotency-Keys still match)
        assertThat(plain.fingerprint()).isEqualTo("c1f5159ba469db102475bba0f95f4320f05517f3474e58e8aae4634bf43b0304"); // sha256 of "v", "1", "1", "null", "null" joined by NUL
        assertThatThrownBy(() -> parse("{\"id\":1,\"vendor\":\"v\",\"quantity\":1,\"callbackUrl\":[]}"))
                .hasMessageContaining("callbackUrl");
    }
}
