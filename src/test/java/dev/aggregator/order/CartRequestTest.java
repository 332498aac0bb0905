package dev.aggregator.order;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.support.ProblemException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CartRequestTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static CartRequest parse(String body) {
        return CartRequest.parse(body.getBytes(StandardCharsets.UTF_8), JSON);
    }

    private static void rejected(String body, int status, String detail) {
        assertThatThrownBy(() -> parse(body)).isInstanceOf(ProblemException.class)
                .satisfies(e -> assertThat(((ProblemException) e).status()).isEqualTo(status))
                .hasMessageContaining(detail);
    }

    @Test
    void linesAreKeptInTheClientsOrder() {
        CartRequest cart = parse("{\"lines\":[{\"vendor\":\"vendorB\",\"id\":\"VB-1\",\"quantity\":2},{\"vendor\":\"vendorA\",\"id\":7,\"quantity\":1}]}");
        assertThat(cart.lines()).extracting(OrderRequest::vendor).containsExactly("vendorB", "vendorA");
        assertThat(cart.lines()).extracting(OrderRequest::productId).containsExactly("VB-1", "7");
        assertThat(cart.lines()).extracting(OrderRequest::quantity).containsExactly(2, 1);
    }

    @Test
    void badBodiesNameWhatIsWrong() {
        rejected("", 400, "body is required");
        rejected("[1]", 400, "JSON object");
        rejected("{}", 400, "lines is required");
        rejected("{\"lines\":[]}", 400, "1 to 100 lines, not 0 lines");
        rejected("{\"lines\":{}}", 400, "lines must be an array");
        rejected("{\"lines\":[5]}", 400, "lines[0] must be an object");
        rejected("{\"lines\":[{\"vendor\":\"a\",\"id\":1,\"quantity\":1},{\"vendor\":\"a\",\"id\":2,\"quantity\":0}]}", 400,
                "lines[1].quantity must be between 1 and 10000");
        rejected("{\"lines\":[{\"id\":1,\"quantity\":1}]}", 400, "lines[0].vendor is required");
        rejected("{\"lines\":[{\"vendor\":\"a\",\"id\":1.5,\"quantity\":1}]}", 400, "lines[0].id must be");
        StringBuilder many = new StringBuilder("{\"lines\":[");
        for (int i = 0; i < 101; i++) {
            many.append(i == 0 ? "" : ",").append("{\"vendor\":\"a\",\"id\":").append(i).append(",\"quantity\":1}");
        }
        rejected(many.append("]}").toString(), 400, "1 to 100 lines, not 101 lines");
        rejected("{\"lines\":[{\"vendor\":\"" + "x".repeat(70_000) + "\"}]}", 413, "at most 65536");
    }

    @Test
    void theFingerprintFollowsEveryLineAndTheirOrder() {
        String ab = "{\"lines\":[{\"vendor\":\"a\",\"id\":1,\"quantity\":1},{\"vendor\":\"b\",\"id\":1,\"quantity\":1}]}";
        String ba = "{\"lines\":[{\"vendor\":\"b\",\"id\":1,\"quantity\":1},{\"vendor\":\"a\",\"id\":1,\"quantity\":1}]}";
        String ab2 = "{\"lines\":[{\"vendor\":\"a\",\"id\":1,\"quantity\":1},{\"vendor\":\"b\",\"id\":1,\"quantity\":2}]}";
        assertThat(parse(ab).fingerprint()).isEqualTo(parse(ab).fingerprint())
                .isNotEqualTo(parse(ba).fingerprint()).isNotEqualTo(parse(ab2).fingerprint());
    }
}
