package dev.aggregator.delivery;

import java.io.IOException;

import java.util.concurrent.TimeoutException;

import io.vertx.core.VertxException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * The contract's vendor protocol: 5xx, 429, time-outs and refused connections are transient (retried);
 * any other 4xx is permanent (dead-lettered at once).
 */
public final class DeliveryFailures {

    private DeliveryFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        if (ObjectHelper.getException(DataAccessException.class, failure) != null
                || ObjectHelper.getException(TransactionException.class, failure) != null) {
            return false; // our database, not the vendor: a dropped connection has an IOException as its cause
        }
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof HttpOperationFailedException h) {
                return h.getStatusCode() >= 500 || h.getStatusCode() == 429;
            }
            // refused or reset connections; no answer within the time-out; Vert.x's closed connections
            if (t instanceof IOException || t instanceof TimeoutException || t instanceof VertxException) {
                return true;
            }
        }
        return false;
    }

    public static boolean isPermanent(Throwable failure) {
        HttpOperationFailedException h = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        return h != null && h.getStatusCode() >= 400 && h.getStatusCode() < 500 && h.getStatusCode() != 429;
    }

    /** One line for the order's last_error and the dead letter's x-failure-reason. */
    public static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        HttpOperationFailedException h = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (h != null) {
            String body = h.getResponseBody() == null ? "" : h.getResponseBody().replaceAll("\\s+", " ").trim();
            if (body.length() > 200) {
                body = body.substring(0, 200) + "…";
            }
            return "vendor answered " + h.getStatusCode() + (h.getStatusText() == null ? "" : " " + h.getStatusText())
                    + (body.isEmpty() ? "" : ": " + body);
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof TimeoutException) {
            return "vendor did not answer in time (" + root.getMessage() + ")";
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
