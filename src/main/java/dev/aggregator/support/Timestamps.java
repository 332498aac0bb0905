package dev.aggregator.support;

import java.time.OffsetDateTime;

/** How every answer writes a database time: an ISO-8601 instant (UTC, "Z"), or null. */
public final class Timestamps {

    private Timestamps() {
    }

    public static String iso(Object value) {
        if (value instanceof java.sql.Timestamp t) {
            return t.toInstant().toString();
        }
        if (value instanceof OffsetDateTime o) {
            return o.toInstant().toString();
        }
        return value == null ? null : value.toString();
    }
}
