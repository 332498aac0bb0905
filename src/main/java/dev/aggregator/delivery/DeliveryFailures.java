package dev.aggregator.delivery;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeoutException;

import io.vertx.core.VertxException;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;
import org.springframework.dao.DataAccessException;
import org.springframework.transaction.TransactionException;

/**
 * Every outcome of a delivery falls in exactly one class (issue 23: a 3xx was in none, and looped):
 * - transient: the contract's 5xx, 429, time-outs and refused or reset connections, retried with backoff;
 * - ours: our database, or our own shutdown, which costs the order nothing: the message goes back to the broker;
 * - permanent: everything else, a 4xx, a redirect we do not follow, any other status or failure, FAILED at
 *   once with a reason; nothing is retried without counting.
 */
public final class DeliveryFailures {

    private DeliveryFailures() {
    }

    public static boolean isTransient(Throwable failure) {
        if (isOurs(failure)) {
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

    /** Our own trouble: the database, or a worker pool refusing work while the service stops. */
    public static boolean isOurs(Throwable failure) {
        return failure != null && (ObjectHelper.getException(DataAccessException.class, failure) != null
                || ObjectHelper.getException(TransactionException.class, failure) != null
                || ObjectHelper.getException(RejectedExecutionException.class, failure) != null);
    }

    /** Neither transient nor ours: the order fails at once, with {@link #reason}. */
    public static boolean isPermanent(Throwable failure) {
        return failure != null && !isOurs(failure) && !isTransient(failure);
    }

    /** Where a 3xx points: the redirect location Camel kept, or the answer's Location header (vertx-http keeps only that). */
    private static String location(HttpOperationFailedException h) {
        return h.getRedirectLocation() != null ? h.getRedirectLocation() : header(h, "Location");
    }

    /** The Retry-After of a 429 or 503 answer, as the vendor wrote it; null for any other failure or without one. */
    public static String retryAfter(Throwable failure) {
        HttpOperationFailedException h = failure == null ? null : ObjectHelper.getException(HttpOperationFailedException.class, failure);
        return h != null && (h.getStatusCode() == 429 || h.getStatusCode() == 503) ? header(h, "Retry-After") : null;
    }

    /**
     * The vendor surely does not hold the order from this call: it answered with a status it does not accept,
     * or the connection was refused (nothing reached it). A time-out or a reset connection is no such proof.
     */
    public static boolean notReceived(Throwable failure) {
        return failure != null && (ObjectHelper.getException(HttpOperationFailedException.class, failure) != null
                || ObjectHelper.getException(java.net.ConnectException.class, failure) != null);
    }

    /** The vendor's answer status, or 0 when the failure was no answer. */
    static int status(Throwable failure) {
        HttpOperationFailedException h = failure == null ? null : ObjectHelper.getException(HttpOperationFailedException.class, failure);
        return h == null ? 0 : h.getStatusCode();
    }

    /** An answer's header, whatever case the vendor wrote its name in. */
    private static String header(HttpOperationFailedException h, String name) {
        if (h.getResponseHeaders() != null) {
            for (var header : h.getResponseHeaders().entrySet()) {
                if (name.equalsIgnoreCase(header.getKey())) {
                    return header.getValue();
                }
            }
        }
        return null;
    }

    /** One line for the order's last_error and the dead letter's x-failure-reason. */
    public static String reason(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        HttpOperationFailedException h = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (h != null) {
            String answered = "vendor answered " + h.getStatusCode() + (h.getStatusText() == null || h.getStatusText().isBlank() ? "" : " " + h.getStatusText().trim());
            if (h.getStatusCode() >= 300 && h.getStatusCode() < 400) {
                // Following a PUT elsewhere would send the order and the vendor's credentials to an address
                // nobody configured: the operator moves the vendor's URL instead.
                String location = location(h);
                return answered + (location == null ? "" : " to " + location)
                        + "; redirects are not followed: point the vendor's URL at the new address";
            }
            String body = h.getResponseBody() == null ? "" : h.getResponseBody().replaceAll("\\s+", " ").trim();
            if (body.length() > 200) {
                body = body.substring(0, 200) + "…";
            }
            return answered + (body.isEmpty() ? "" : ": " + body);
        }
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof TimeoutException) {
            return "vendor did not answer in time (" + root.getMessage() + ")";
        }
        String message = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s+", " ");
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + (message.length() > 300 ? message.substring(0, 300) + "…" : message));
    }
}
