package dev.aggregator.support;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Random;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class TimestampsTest {

    /** PostgreSQL's text of a UTC timestamp: ISO date, a space, the fraction without trailing zeros. */
    private static String pgText(Instant i) {
        LocalDateTime t = LocalDateTime.ofInstant(i, ZoneOffset.UTC);
        String s = String.format("%04d-%02d-%02d %02d:%02d:%02d", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                t.getHour(), t.getMinute(), t.getSecond());
        int micros = t.getNano() / 1000;
        if (micros > 0) {
            s += ("." + String.format("%06d", micros)).replaceAll("0+$", "");
        }
        return s;
    }

    @Test
    void writesWhatInstantToStringWrites() {
        Random random = new Random(17);
        for (int i = 0; i < 20_000; i++) {
            long micros = random.nextInt(4) == 0 ? random.nextInt(1000) * 1000L : random.nextInt(1_000_000);
            if (i % 7 == 0) {
                micros = 0;
            }
            Instant instant = Instant.ofEpochSecond(1_600_000_000L + random.nextInt(400_000_000), micros * 1000);
            assertThat(Timestamps.isoFromUtcText(pgText(instant))).as(pgText(instant)).isEqualTo(instant.toString());
        }
    }

    @Test
    void examples() {
        assertThat(Timestamps.isoFromUtcText("2026-11-30 16:32:58.666229")).isEqualTo("2026-11-30T16:32:58.666229Z");
        assertThat(Timestamps.isoFromUtcText("2026-11-30 16:32:58.6662")).isEqualTo("2026-11-30T16:32:58.666200Z");
        assertThat(Timestamps.isoFromUtcText("2026-11-30 16:32:58.5")).isEqualTo("2026-11-30T16:32:58.500Z");
        assertThat(Timestamps.isoFromUtcText("2026-11-30 16:32:58")).isEqualTo("2026-11-30T16:32:58Z");
        assertThat(Timestamps.isoFromUtcText(null)).isNull();
        // beyond the fast path: as java.time writes it
        assertThat(Timestamps.isoFromUtcText("12026-01-02 03:04:05.1"))
                .isEqualTo(Instant.parse("+12026-01-02T03:04:05.100Z").toString());
        assertThat(Timestamps.isoFromUtcText("infinity")).isEqualTo("infinity");
        assertThat(Timestamps.iso(java.sql.Timestamp.from(Instant.parse("2026-11-30T16:32:58.666Z")))).isEqualTo("2026-11-30T16:32:58.666Z");
        assertThat(Instant.parse("2026-11-30T16:32:58.666Z").truncatedTo(ChronoUnit.MILLIS).toString()).endsWith(".666Z");
    }
}
