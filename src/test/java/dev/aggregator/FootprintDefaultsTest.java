package dev.aggregator;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FootprintDefaultsTest {

    private static final String MAX_ORDER = "io.netty.allocator.maxOrder";
    private final String before = System.getProperty(MAX_ORDER);

    @AfterEach
    void restore() {
        if (before == null) {
            System.clearProperty(MAX_ORDER);
        } else {
            System.setProperty(MAX_ORDER, before);
        }
    }

    @Test
    void nettyChunksOf1MbUnlessTheCommandLineSaysOtherwise() {
        System.clearProperty(MAX_ORDER);
        Application.footprintDefaults();
        assertThat(System.getProperty(MAX_ORDER)).isEqualTo("7");
        System.setProperty(MAX_ORDER, "9");
        Application.footprintDefaults();
        assertThat(System.getProperty(MAX_ORDER)).isEqualTo("9");
    }
}
