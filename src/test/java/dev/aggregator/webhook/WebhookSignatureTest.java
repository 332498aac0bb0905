package dev.aggregator.webhook;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class WebhookSignatureTest {

    private static final byte[] BODY = "{\"id\":\"e1\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void theHeaderIsTheHmacOfTimeDotBody() {
        // python3: hmac.new(b'whsec_test', b'1700000000.{"id":"e1"}', hashlib.sha256).hexdigest()
        assertThat(WebhookSignature.header("whsec_test", 1_700_000_000L, BODY))
                .isEqualTo("t=1700000000,v1=6a85cb117c993612a34c72b4cfb5a16baed25a80d26e298ce0e6671320fd07c8");
    }

    @Test
    void verifyAcceptsItsOwnHeaderAndNothingChanged() {
        String header = WebhookSignature.header("s3cret", 1_700_000_123L, BODY);
        assertThat(WebhookSignature.verify("s3cret", header, BODY)).isTrue();
        assertThat(WebhookSignature.verify("other", header, BODY)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", header, "{\"id\":\"e2\"}".getBytes(StandardCharsets.UTF_8))).isFalse();
        // another time with the same v1: the time is signed too
        assertThat(WebhookSignature.verify("s3cret", header.replace("t=1700000123", "t=1700000999"), BODY)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", null, BODY)).isFalse();
        assertThat(WebhookSignature.verify("s3cret", "v1=abc", BODY)).isFalse();
    }
}
