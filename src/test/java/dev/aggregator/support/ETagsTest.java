package dev.aggregator.support;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ETagsTest {

    private static final String TAG = ETags.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8));

    @Test
    void aStrongTagFromTheBody() {
        assertThat(TAG).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(ETags.of("{\"a\":1}".getBytes(StandardCharsets.UTF_8))).isEqualTo(TAG);
        assertThat(ETags.of("{\"a\":2}".getBytes(StandardCharsets.UTF_8))).isNotEqualTo(TAG);
        assertThat(ETags.of(new byte[0])).isNotEqualTo(TAG);
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        assertThat(ETags.matches(TAG, TAG)).isTrue();
        assertThat(ETags.matches("W/" + TAG, TAG)).isTrue();
        assertThat(ETags.matches("\"x\", " + TAG, TAG)).isTrue();
        assertThat(ETags.matches("\"x\",W/" + TAG + " ", TAG)).isTrue();
        assertThat(ETags.matches("*", TAG)).isTrue();
        assertThat(ETags.matches("\"x\"", TAG)).isFalse();
        assertThat(ETags.matches(TAG.substring(0, TAG.length() - 2) + "\"", TAG)).isFalse();
        assertThat(ETags.matches(TAG.replace("\"", ""), TAG)).isFalse(); // unquoted: not an entity tag
        assertThat(ETags.matches("\"unterminated", TAG)).isFalse();
        assertThat(ETags.matches("", TAG)).isFalse();
        assertThat(ETags.matches(null, TAG)).isFalse();
    }
}
