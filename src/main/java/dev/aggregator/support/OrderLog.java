package dev.aggregator.support;

import org.slf4j.Logger;
import org.slf4j.MDC;

/** One log line about an order, with its id and vendor in the MDC so grep tells an order's whole story. */
public final class OrderLog {

    private OrderLog() {
    }

    public static void info(Logger log, String orderId, String vendor, String message, Object... args) {
        try (MDC.MDCCloseable id = MDC.putCloseable("orderId", orderId);
             MDC.MDCCloseable v = MDC.putCloseable("vendor", vendor)) {
            log.info(message, args);
        }
    }

    public static void warn(Logger log, String orderId, String vendor, String message, Object... args) {
        try (MDC.MDCCloseable id = MDC.putCloseable("orderId", orderId);
             MDC.MDCCloseable v = MDC.putCloseable("vendor", vendor)) {
            log.warn(message, args);
        }
    }
}
