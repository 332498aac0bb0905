package dev.aggregator.support;

import java.util.Map;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What logback.xml's own converters write: %traceIds and the masked %msg (issue 28 made both cheaper). */
class LogLineTest {

    private static LoggingEvent event(String message, Map<String, String> mdc) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("test", context.getLogger("test"), Level.INFO, message, null, null);
        event.setMDCPropertyMap(mdc);
        return event;
    }

    @Test
    void traceIdsAreWrittenOnlyWhenTheLineHasThem() {
        OrderLog.TraceIds converter = new OrderLog.TraceIds();
        assertThat(converter.convert(event("Order accepted", Map.of("orderId", "o1",
                "trace_id", "4bf92f3577b34da6a3ce929d0e0e4736", "span_id", "00f067aa0ba902b7"))))
                .isEqualTo(" trace_id=4bf92f3577b34da6a3ce929d0e0e4736 span_id=00f067aa0ba902b7");
        assertThat(converter.convert(event("Order accepted", Map.of("orderId", "o1")))).isEmpty();
        assertThat(converter.convert(event("Order accepted", Map.of("trace_id", "")))).isEmpty();
    }

    @Test
    void credentialsAreHiddenWhateverTheHeaderNamesCase() {
        assertThat(SecretMasking.mask("sent AUTHORIZATION: Bearer abc.def to the vendor"))
                .isEqualTo("sent AUTHORIZATION: Bearer *** to the vendor");
        assertThat(SecretMasking.mask("{\"Authorization\":\"Basic dXNlcjpwYXNz\"}"))
                .isEqualTo("{\"Authorization\":\"Basic ***\"}");
        assertThat(SecretMasking.mask("Order accepted: 1 x 42 of vendorA")).isEqualTo("Order accepted: 1 x 42 of vendorA");
        assertThat(SecretMasking.mask("authorizatio")).isEqualTo("authorizatio");
    }
}
