package dev.aggregator.support;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a vendor asked us to wait in a Retry-After header (RFC 9110, 10.2.3): delta-seconds or an
 * HTTP-date, read against the caller's clock. Plain Java, no Camel: order delivery (Lanes) and the poller
 * share it.
 * - "120": 120 s. A number too long for a long is still a (very long) wait: the cap.
 * - an HTTP-date in the three forms RFC 9110 says a recipient must accept: IMF-fixdate
 *   ("Sun, 06 Nov 1994 08:49:37 GMT"), RFC 850 ("Sunday, 06-Nov-94 08:49:37 GMT", a two-digit year more than
 *   50 years ahead is taken as the past century's) and asctime ("Sun Nov  6 08:49:37 1994"). The weekday is
 *   not checked against the date (a vendor that gets it wrong still means the date); names match in any case.
 *   A date already past is a wait of zero: the vendor may be asked now.
 * - anything else (empty, a negative or fractional number, "soon", an impossible date): empty, the header is
 *   ignored as if it were not there.
 * Never more than the maximum the caller passes.
 */
public final class RetryAfter {

    private static final List<String> MONTHS = List.of("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec");
    private static final String DAY = "(?:mon|tue|wed|thu|fri|sat|sun)";
    private static final String LONG_DAY = "(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)";
    private static final String MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)";
    private static final String TIME = "(\\d{2}):(\\d{2}):(\\d{2})";
    private static final Pattern DELTA_SECONDS = Pattern.compile("\\d+");
    // groups: day, month, year, hour, minute, second (asctime's are put in that order below)
    private static final Pattern IMF_FIXDATE = Pattern.compile(DAY + ", (\\d{1,2}) " + MONTH + " (\\d{4}) " + TIME + " GMT", Pattern.CASE_INSENSITIVE);
    private static final Pattern RFC_850 = Pattern.compile(LONG_DAY + ", (\\d{2})-" + MONTH + "-(\\d{2}) " + TIME + " GMT", Pattern.CASE_INSENSITIVE);
    private static final Pattern ASCTIME = Pattern.compile(DAY + " " + MONTH + " ( \\d|\\d{2}) " + TIME + " (\\d{4})", Pattern.CASE_INSENSITIVE);

    private RetryAfter() {
    }

    /**
     * The wait the header value asks for, counted from now, at most max; empty for a value that is no
     * Retry-After (or null).
     */
    public static Optional<Duration> parse(String value, Instant now, Duration max) {
        if (max == null || max.isNegative()) {
            throw new IllegalArgumentException("the maximum wait must be zero or more, not " + max);
        }
        if (value == null) {
            return Optional.empty();
        }
        String v = value.trim();
        if (DELTA_SECONDS.matcher(v).matches()) {
            // more digits than a long holds is still a number of seconds, only a very large one
            Duration asked = v.length() > 18 ? max : Duration.ofSeconds(Long.parseLong(v));
            return Optional.of(min(asked, max));
        }
        return date(v, now).map(at -> now.isBefore(at) ? min(Duration.between(now, at), max) : Duration.ZERO);
    }

    /** The HTTP-date the value names, in any of its three forms. */
    static Optional<Instant> date(String v, Instant now) {
        try {
            Matcher m = IMF_FIXDATE.matcher(v);
            if (m.matches()) {
                return Optional.of(instant(Integer.parseInt(m.group(3)), m.group(2), m.group(1), m, 4));
            }
            m = RFC_850.matcher(v);
            if (m.matches()) {
                Instant at = instant(2000 + Integer.parseInt(m.group(3)), m.group(2), m.group(1), m, 4);
                // RFC 9110: a two-digit year that looks more than 50 years in the future is in the past century
                if (at.isAfter(now.atOffset(ZoneOffset.UTC).plusYears(50).toInstant())) {
                    at = at.atOffset(ZoneOffset.UTC).minusYears(100).toInstant();
                }
                return Optional.of(at);
            }
            m = ASCTIME.matcher(v);
            if (m.matches()) {
                return Optional.of(instant(Integer.parseInt(m.group(6)), m.group(1), m.group(2).trim(), m, 3));
            }
        } catch (DateTimeException e) {
            // a well-formed but impossible date (31 Feb, 25:00): no date
        }
        return Optional.empty();
    }

    private static Instant instant(int year, String month, String day, Matcher m, int timeGroup) {
        int second = Integer.parseInt(m.group(timeGroup + 2));
        // a leap second (":60") is the last moment of its minute
        return LocalDateTime.of(year, MONTHS.indexOf(month.toLowerCase(Locale.ROOT)) + 1, Integer.parseInt(day),
                Integer.parseInt(m.group(timeGroup)), Integer.parseInt(m.group(timeGroup + 1)), second == 60 ? 59 : second)
                .toInstant(ZoneOffset.UTC);
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
