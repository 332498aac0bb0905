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

    @Test
    void reasonsAreOneReadableLine() {
        assertThat(DeliveryFailures.reason(http(503))).isEqualTo("vendor answered 503 Status: {\"error\":\"x\"}");
        assertThat(DeliveryFailures.reason(new RuntimeException(new SocketTimeoutException("Read timed out"))))
                .isEqualTo("SocketTimeoutException: Read timed out");
    }
}
