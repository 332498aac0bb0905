package dev.aggregator.support;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

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

    /**
     * The same ISO instant as {@link #iso}, from PostgreSQL's text of a UTC time ({@code (t AT TIME ZONE 'UTC')::text},
     * e.g. {@code 2026-11-30 16:32:58.6662}): a few character moves instead of parsing, for answers that write
     * hundreds of times. Like Instant.toString, the fraction has 0, 3 or 6 digits. Anything unusual (a year past
     * 9999, BC, infinity) goes through java.time.
     */
    public static String isoFromUtcText(String pg) {
        if (pg == null) {
            return null;
        }
        int n = pg.length();
        if (n < 19 || pg.charAt(4) != '-' || pg.charAt(10) != ' ' || pg.charAt(13) != ':' || pg.charAt(16) != ':'
                || (n > 19 && (pg.charAt(19) != '.' || n > 26)) || !digits(pg, 0, 4)) {
            return slow(pg);
        }
        StringBuilder s = new StringBuilder(28).append(pg, 0, 10).append('T').append(pg, 11, n);
        if (n > 19) {
            int fraction = n - 20;
            for (int i = fraction; i < (fraction <= 3 ? 3 : 6); i++) {
                s.append('0');
            }
        }
        return s.append('Z').toString();
    }

    private static boolean digits(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    private static String slow(String pg) {
        try {
            String iso = pg.replace(' ', 'T');
            if (iso.indexOf('-') > 4) {
                iso = "+" + iso; // java.time signs years past 9999
            }
            return LocalDateTime.parse(iso).toInstant(ZoneOffset.UTC).toString();
        } catch (RuntimeException e) {
            return pg; // "infinity", BC dates: as PostgreSQL wrote them
        }
    }
}
