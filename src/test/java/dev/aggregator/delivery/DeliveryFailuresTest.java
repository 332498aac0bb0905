package dev.aggregator.delivery;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DeliveryFailuresTest {

    private static HttpOperationFailedException http(int status) {
        return new HttpOperationFailedException("http://v/products/1", status, "Status", null, null, "{\"error\":\"x\"}");
    }

    @ParameterizedTest
    @CsvSource({"500,true,false", "502,true,false", "503,true,false", "429,true,false",
            "400,false,true", "404,false,true", "409,false,true", "422,false,true"})
    void httpStatuses(int status, boolean transientFailure, boolean permanent) {
        assertThat(DeliveryFailures.isTransient(http(status))).isEqualTo(transientFailure);
        assertThat(DeliveryFailures.isPermanent(http(status))).isEqualTo(permanent);
    }

    @Test
    void networkTroubleIsTransientEvenWhenWrapped() {
        assertThat(DeliveryFailures.isTransient(new RuntimeException(new SocketTimeoutException("Read timed out")))).isTrue();
        assertThat(DeliveryFailures.isTransient(new ConnectException("Connection refused"))).isTrue();
        assertThat(DeliveryFailures.isPermanent(new ConnectException("Connection refused"))).isFalse();
        assertThat(DeliveryFailures.isTransient(new IllegalStateException("bug"))).isFalse();
    }

    @Test
    void vertxTimeoutsAndClosedConnectionsAreTransient() {
        assertThat(DeliveryFailures.isTransient(new io.vertx.core.impl.NoStackTraceTimeoutException("no answer in 2000 ms"))).isTrue();
        assertThat(DeliveryFailures.isTransient(new io.vertx.core.http.HttpClosedException("closed"))).isTrue();
        assertThat(DeliveryFailures.reason(new io.vertx.core.impl.NoStackTraceTimeoutException("no answer in 2000 ms")))
                .isEqualTo("vendor did not answer in time (no answer in 2000 ms)");
    }

    /** Issue 14, defect 1: a dropped database connection is ours, not the vendor's (its cause is an IOException). */
    @Test
    void ourDatabaseDroppingTheConnectionIsNotAVendorFailure() {
        var dropped = new org.springframework.dao.DataAccessResourceFailureException("PreparedStatementCallback",
                new java.sql.SQLException("An I/O error occurred while sending to the backend.", new java.io.EOFException()));
        assertThat(DeliveryFailures.isTransient(dropped)).isFalse();
        assertThat(DeliveryFailures.isTransient(new org.apache.camel.RuntimeCamelException(dropped))).isFalse();
        assertThat(DeliveryFailures.isPermanent(dropped)).isFalse();
    }

    /** Issue 23, item 3: a redirect, or any status or failure in no other class, fails the order with a reason instead of looping. */
    @ParameterizedTest
    @CsvSource({"301", "302", "303", "307", "308", "304", "100", "418"})
    void everyOtherStatusIsPermanent(int status) {
        assertThat(DeliveryFailures.isTransient(http(status))).isFalse();
        assertThat(DeliveryFailures.isPermanent(http(status))).isTrue();
        assertThat(DeliveryFailures.isPermanent(new IllegalStateException("a bug of ours"))).isTrue();
        assertThat(DeliveryFailures.isPermanent(new java.util.concurrent.RejectedExecutionException("stopping"))).isFalse();
        assertThat(DeliveryFailures.isOurs(new java.util.concurrent.RejectedExecutionException("stopping"))).isTrue();
    }

    @Test
    void aRedirectSaysWhereToAndThatItIsNotFollowed() {
        var moved = new HttpOperationFailedException("http://v/products/1?key=k", 308, "Permanent Redirect", "https://v/products/1?key=k", null, "");
        assertThat(DeliveryFailures.reason(moved)).isEqualTo("vendor answered 308 Permanent Redirect to https://v/products/1?key=k; "
                + "redirects are not followed: point the vendor's URL at the new address");
    }

    @Test
    void reasonsAreOneReadableLine() {
        assertThat(DeliveryFailures.reason(http(503))).isEqualTo("vendor answered 503 Status: {\"error\":\"x\"}");
        assertThat(DeliveryFailures.reason(new RuntimeException(new SocketTimeoutException("Read timed out"))))
                .isEqualTo("SocketTimeoutException: Read timed out");
    }
}
