package dev.aggregator.support;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Issue 24, item 5: a Retry-After value, in each form RFC 9110 allows, read against a fixed clock. */
class RetryAfterTest {

    /** Sun, 06 Nov 1994 08:49:37 GMT, RFC 9110's example date. */
    private static final Instant NOW = Instant.parse("1994-11-06T08:49:37Z");
    private static final Duration MAX = Duration.ofMinutes(5);

    private static Duration parse(String value) {
        return RetryAfter.parse(value, NOW, MAX).orElseThrow();
    }

    @ParameterizedTest
    @CsvSource({"0,0", "1,1", "2,2", "120,120", "' 7 ',7", "007,7", "300,300"})
    void deltaSeconds(String value, long seconds) {
        assertThat(parse(value)).isEqualTo(Duration.ofSeconds(seconds));
    }

    @Test
    void aLongerWaitThanTheMaximumIsCapped() {
        assertThat(parse("301")).isEqualTo(MAX);
        assertThat(parse("86400")).isEqualTo(MAX);
        assertThat(parse("99999999999999999999999999")).as("more digits than a long").isEqualTo(MAX);
        assertThat(parse("Sun, 06 Nov 2094 08:49:37 GMT")).isEqualTo(MAX);
        assertThat(RetryAfter.parse("10", NOW, Duration.ZERO)).contains(Duration.ZERO);
    }

    @ParameterizedTest
    @CsvSource({
            "'Sun, 06 Nov 1994 08:49:39 GMT',2000",   // IMF-fixdate
            "'Sun, 06 Nov 1994 08:51:37 GMT',120000",
            "'Mon, 07 Nov 1994 08:49:37 GMT',300000", // a day ahead: capped
            "'Sunday, 06-Nov-94 08:49:40 GMT',3000",  // RFC 850
            "'Sun Nov  6 08:49:41 1994',4000",        // asctime, the day padded with a space
            "'Sun Nov 06 08:49:41 1994',4000",
            "'sun, 06 nov 1994 08:49:39 gmt',2000",   // names in any case
            "'Sat, 06 Nov 1994 08:49:39 GMT',2000",   // a wrong weekday still names the date
            "'Sun, 6 Nov 1994 08:49:39 GMT',2000",    // a one-digit day (RFC 1123 allowed it)
            "'Sun, 06 Nov 1994 08:49:59 GMT',22000",
    })
    void httpDates(String value, long millis) {
        assertThat(parse(value)).isEqualTo(Duration.ofMillis(millis));
    }

    @Test
    void theWaitIsCountedFromTheGivenClockToTheMillisecond() {
        Instant later = NOW.plusMillis(750);
        assertThat(RetryAfter.parse("Sun, 06 Nov 1994 08:49:39 GMT", later, MAX)).contains(Duration.ofMillis(1250));
        assertThat(RetryAfter.parse("3", later, MAX)).contains(Duration.ofSeconds(3));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sun, 06 Nov 1994 08:49:37 GMT", "Sun, 06 Nov 1994 08:00:00 GMT", "Thu, 01 Jan 1970 00:00:00 GMT"})
    void aDateThatIsNowOrPastIsNoWait(String value) {
        assertThat(parse(value)).isZero();
    }

    @Test
    void anRfc850YearMoreThanFiftyYearsAheadIsInThePastCentury() {
        Instant in2030 = Instant.parse("2030-01-01T00:00:00Z");
        // "79" is 2079 (49 years ahead), "99" would be 2099 (69 ahead) so it is 1999: past, no wait
        assertThat(RetryAfter.date("Friday, 01-Dec-79 00:00:00 GMT", in2030)).contains(Instant.parse("2079-12-01T00:00:00Z"));
        assertThat(RetryAfter.date("Wednesday, 01-Dec-99 00:00:00 GMT", in2030)).contains(Instant.parse("1999-12-01T00:00:00Z"));
        assertThat(RetryAfter.parse("Wednesday, 01-Dec-99 00:00:00 GMT", in2030, MAX)).contains(Duration.ZERO);
    }

    @Test
    void aLeapSecondIsTheLastMomentOfItsMinute() {
        assertThat(parse("Sun, 06 Nov 1994 08:49:60 GMT")).isEqualTo(Duration.ofSeconds(22));
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {" ", "-5", "+5", "1.5", "2s", "soon", "0x10", "1e3", "5 6",
            "Sun, 31 Feb 1994 08:49:39 GMT",          // no such day
            "Sun, 06 Nov 1994 25:49:39 GMT",          // no such hour
            "Sun, 06 Nov 1994 08:49:39 CET",          // HTTP dates are GMT
            "Sun, 06 Nov 1994 08:49:39",
            "Sun, 06 Foo 1994 08:49:39 GMT",
            "1994-11-06T08:49:39Z",                   // ISO is not an HTTP date
            "Sunday, 06-Nov-1994 08:49:39 GMT",
            "Sun Nov 6 08:49:41 1994"})               // asctime pads the day to two characters
    void anythingElseIsNoRetryAfter(String value) {
        assertThat(RetryAfter.parse(value, NOW, MAX)).isEmpty();
    }

    @Test
    void theMaximumMustNotBeNegative() {
        assertThatThrownBy(() -> RetryAfter.parse("1", NOW, Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class);
    }
}
