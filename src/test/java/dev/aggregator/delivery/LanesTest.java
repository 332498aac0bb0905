package dev.aggregator.delivery;

import dev.aggregator.config.VendorConfig;
import org.apache.camel.Exchange;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The lane's decisions around a vendor call, without a broker: breaker, attempts, waiting limit. */
class LanesTest {

    private static final LaneDefaults DEFAULTS = new LaneDefaults(10, 32, 10_000, 2000, 4, 60_000, 1000, 10, 5, 50, 60_000, 0, 2000, 60_000, 300_000);

    private final DefaultCamelContext context = new DefaultCamelContext();

    private Lanes lanesWith(Lane lane) throws Exception {
        Lanes lanes = new Lanes(DEFAULTS, new dev.aggregator.vendor.VendorRegistry(new org.apache.camel.impl.DefaultCamelContext(), java.util.List.of()), null, null, new dev.aggregator.support.Metrics(null));
        java.lang.reflect.Field f = Lanes.class.getDeclaredField("lanes");
        f.setAccessible(true);
        @SuppressWarnings("unchecked")
        java.util.Map<String, Lane> map = (java.util.Map<String, Lane>) f.get(lanes);
        map.put(lane.vendor(), lane);
        return lanes;
    }

    private Exchange call(Lanes lanes, Exception outcome) {
        Exchange e = new DefaultExchange(context);
        e.setProperty(OrderDelivery.VENDOR, "v");
        e.setProperty(OrderDelivery.ORDER, order(null));
        lanes.admit(e);
        lanes.calling(e);
        if (outcome == null) {
            lanes.succeeded(e);
        } else {
            e.setProperty(Exchange.EXCEPTION_CAUGHT, outcome);
            lanes.pauseIfAsked(e); // as the route does, before the hand-off
            assertThatThrownBy(() -> lanes.failed(e)).isSameAs(outcome);
        }
        return e;
    }

    private static OrderToDeliver order(Double waitedSeconds) {
        return new OrderToDeliver("0b0c0d0e-0000-0000-0000-000000000001", "v", "1", 1, "PENDING", waitedSeconds, 0, System.nanoTime());
    }

    private static HttpOperationFailedException status(int code) {
        return new HttpOperationFailedException("http://v/products/1", code, "S", null, null, "");
    }

    private static HttpOperationFailedException status(int code, String retryAfter) {
        return new HttpOperationFailedException("http://v/products/1", code, "S", null, java.util.Map.of("retry-after", retryAfter), "");
    }

    private Exchange admitted(Lanes lanes) {
        Exchange e = new DefaultExchange(context);
        e.setProperty(OrderDelivery.VENDOR, "v");
        e.setProperty(OrderDelivery.ORDER, order(null));
        lanes.admit(e);
        return e;
    }

    /** Issue 24, item 5: a 429 with Retry-After pauses every call of the lane, the one that got it counted once. */
    @Test
    void aRetryAfterPausesTheWholeLaneUntilTheInstantTheVendorNamed() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        long before = System.currentTimeMillis();
        Exchange answered = call(lanes, status(429, "2"));
        assertThat(Lanes.countedAttempts(answered)).isEqualTo(1);
        assertThat(lane.breaker().getMetrics().getNumberOfFailedCalls()).as("a transient failure, as before").isEqualTo(1);

        Exchange next = new DefaultExchange(context);
        next.setProperty(OrderDelivery.VENDOR, "v");
        next.setProperty(OrderDelivery.ORDER, order(null));
        LanePausedException paused = org.assertj.core.api.Assertions.catchThrowableOfType(LanePausedException.class, () -> lanes.admit(next));
        assertThat(paused.remainingMillis()).isBetween(1500L, 2000L);
        // this order's next try is when the pause ends, not a recheck later
        assertThat(next.getIn().getHeader(Exchange.REDELIVERY_DELAY, Long.class)).isEqualTo(paused.remainingMillis());
        assertThat(lane.inFlight().get()).isZero();
        assertThat(Lanes.countedAttempts(next)).isZero();
        long shown = java.time.Instant.parse((String) lane.snapshot().get("pausedUntil")).toEpochMilli();
        assertThat(shown).isBetween(before + 2000, System.currentTimeMillis() + 2000);
    }

    @Test
    void anHttpDateIsObeyedAndNoAnswerShortensAPause() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        String threeToFourSecondsAhead = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(4).withNano(0));
        call(lanes, status(503, threeToFourSecondsAhead));
        long remaining = lane.pauseRemainingNanos() / 1_000_000;
        assertThat(remaining).isBetween(3000L, 4000L);
        lane.pauseFor(java.time.Duration.ofSeconds(1)); // a crossing call's 429 with less left
        assertThat(lane.pauseRemainingNanos() / 1_000_000).isBetween(remaining - 500, remaining);
    }

    @Test
    void aPauseLongerThanTheMaximumIsCapped() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        call(lanesWith(lane), status(429, "86400"));
        assertThat(lane.pauseRemainingNanos() / 1_000_000).isBetween(299_000L, 300_000L);
    }

    @Test
    void noPauseWithoutAUsableRetryAfterOnA429Or503() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        call(lanes, status(429, "soon"));
        call(lanes, status(503));
        call(lanes, status(500, "5")); // only 429 and 503 carry a Retry-After that means "not before"
        call(lanes, status(429, "0"));
        assertThat(lane.pausedUntil()).isNull();
        admitted(lanes);
        assertThat(lane.inFlight().get()).isEqualTo(1);
    }

    /** A call the rate limit held while the pause began does not go out; its permit (the half-open probe here) goes back. */
    @Test
    void aCallAdmittedBeforeThePauseBeganWaitsToo() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        lane.breaker().transitionToOpenState();
        lane.breaker().transitionToHalfOpenState();
        Exchange held = admitted(lanes);
        lane.pauseFor(java.time.Duration.ofMillis(100));
        assertThatThrownBy(() -> lanes.calling(held)).isInstanceOf(LanePausedException.class);
        assertThat(held.getProperty(OrderDelivery.ATTEMPTS, 0, Integer.class)).isZero();
        assertThat(lane.inFlight().get()).isZero();
        await().atMost(java.time.Duration.ofSeconds(2)).until(() -> lane.pausedUntil() == null);
        Exchange probe = admitted(lanes);
        lanes.calling(probe);
        assertThat(probe.getProperty(OrderDelivery.ATTEMPTS, 0, Integer.class)).isEqualTo(1);
    }

    @Test
    void transientFailuresWhileTheVendorAnswersOthersCountAgainstTheOrder() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        for (int i = 0; i < 6; i++) {
            call(lanes, null);
        }
        Exchange failed = call(lanes, status(503));
        assertThat(lane.state()).isEqualTo("closed");
        assertThat(Lanes.countedAttempts(failed)).isEqualTo(1);
        assertThat(lanes.attemptsLeft(failed)).isTrue();
    }

    @Test
    void theFailureThatOpensTheBreakerGivesItsAttemptBackAndLaterCallsWait() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        for (int i = 0; i < 4; i++) {
            assertThat(Lanes.countedAttempts(call(lanes, status(503)))).isEqualTo(1);
        }
        Exchange opening = call(lanes, status(502));
        assertThat(lane.state()).isEqualTo("open");
        assertThat(Lanes.countedAttempts(opening)).isZero();
        assertThat(lane.snapshot().get("lastError").toString()).contains("502");

        Exchange waiting = new DefaultExchange(context);
        waiting.setProperty(OrderDelivery.VENDOR, "v");
        assertThatThrownBy(() -> lanes.admit(waiting)).isInstanceOf(LaneOpenException.class);
        assertThat(lane.inFlight().get()).isZero();
    }

    @Test
    void aPermanentRefusalShowsTheVendorIsThere() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        for (int i = 0; i < 10; i++) {
            call(lanes, status(404));
        }
        assertThat(lane.state()).isEqualTo("closed");
    }

    @Test
    void onlyWaitingOnAnOpenBreakerCountsTowardTheLimitNeverTheOrdersAge() throws Exception {
        Lane lane = new Lane(new VendorConfig("v", "http://v/products"), DEFAULTS);
        Lanes lanes = lanesWith(lane);
        // created long ago (a backlog, a replay) but never waited: the call goes out
        Exchange fresh = new DefaultExchange(context);
        fresh.setProperty(OrderDelivery.VENDOR, "v");
        fresh.setProperty(OrderDelivery.ORDER, order(null));
        lanes.admit(fresh);
        lane.breaker().transitionToOpenState();
        // it had waited 61 s on another copy or instance (orders.waiting_since): over the limit of 60 s
        Exchange old = new DefaultExchange(context);
        old.setProperty(OrderDelivery.VENDOR, "v");
        old.setProperty(OrderDelivery.ORDER, order(61.0));
        assertThatThrownBy(() -> lanes.admit(old)).isInstanceOf(OrderExpiredException.class).hasMessageContaining("limit of 60 s");
        // it had waited 59 s: it waits on
        Exchange waiting = new DefaultExchange(context);
        waiting.setProperty(OrderDelivery.VENDOR, "v");
        waiting.setProperty(OrderDelivery.ORDER, order(59.0));
        assertThatThrownBy(() -> lanes.admit(waiting)).isInstanceOf(LaneOpenException.class);
    }

    @Test
    void aVendorsOwnSettingsWinOverTheDefaults() {
        Lane own = new Lane(new VendorConfig("v", "http://v/products", 0.5, 4, 1500L), DEFAULTS);
        assertThat(own.concurrency()).isEqualTo(4);
        assertThat(own.timeoutMillis()).isEqualTo(1500);
        assertThat(own.throttleRequests()).isEqualTo(1);
        assertThat(own.throttlePeriodMillis()).isEqualTo(2040);
        Lane plain = new Lane(new VendorConfig("w", "http://w/products"), DEFAULTS);
        assertThat(plain.concurrency()).isEqualTo(32);
        assertThat(plain.throttleRequests()).isEqualTo(10);
    }

    /** Issue 23, item 7: a fractional rate is never rounded up (1.5/s was 2 per second). */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"10,10,1020", "1.5,3,2040", "0.5,1,2040", "0.25,1,4080", "2.5,5,2040",
            "0.3,3,10200", "2.37,1,431", "1000,1000,1020", "1200.5,2401,2040", "0.05,1,20400"})
    void theThrottleNeverAllowsMoreThanTheRate(double rate, long requests, long periodMillis) {
        Lane.Throttle t = Lane.Throttle.of(rate);
        assertThat(t.requests()).isEqualTo(requests);
        assertThat(t.periodMillis()).isEqualTo(periodMillis);
        assertThat(t.requests() * 1000.0 / t.periodMillis()).isLessThanOrEqualTo(rate + 1e-9);
    }

    /** Issue 23, item 8: slow calls count only when asked for; Resilience4j's 60 s default opened healthy lanes. */
    @Test
    void slowCallsDoNotCountUnlessConfigured() {
        assertThat(DEFAULTS.breakerConfig().getSlowCallDurationThreshold()).isGreaterThan(java.time.Duration.ofDays(365));
        LaneDefaults slow = new LaneDefaults(10, 32, 10_000, 2000, 4, 60_000, 1000, 10, 5, 50, 60_000, 3000, 2000, 60_000, 300_000);
        assertThat(slow.breakerConfig().getSlowCallDurationThreshold()).isEqualTo(java.time.Duration.ofSeconds(3));
        assertThat(slow.breakerConfig().getSlowCallRateThreshold()).isEqualTo(50f);
    }
}
