package dev.aggregator.stock;

import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.aggregator.config.SchemaMigrator;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.apache.camel.util.ObjectHelper;

/**
 * Says in one line what went wrong with a poll, in the words an operator needs: whether the vendor refused
 * our credentials, answered something that is not a product list, or could not be reached. The caller
 * hides the vendor's secrets in it (an answer may echo a key back).
 */
public final class PollFailures {

    private static final int EXCERPT = 160;

    private PollFailures() {
    }

    public static String describe(Throwable failure) {
        if (failure == null) {
            return "unknown failure";
        }
        HttpOperationFailedException http = ObjectHelper.getException(HttpOperationFailedException.class, failure);
        if (http != null) {
            int code = http.getStatusCode();
            if (code == 401 || code == 403) {
                return "the vendor refused our credentials (HTTP " + code + "): check its token, headers or URL";
            }
            return "the vendor answered HTTP " + code + excerpt(http.getResponseBody());
        }
        VendorAnswerException answer = ObjectHelper.getException(VendorAnswerException.class, failure);
        if (answer != null) {
            // "the vendor answered 429 …"; a mapping's failure is the file's, said as is
            return answer.getMessage().startsWith(CatalogReader.NO_PRODUCT_FROM_MAPPING) ? answer.getMessage() : "the vendor " + answer.getMessage();
        }
        JsonProcessingException json = ObjectHelper.getException(JsonProcessingException.class, failure);
        if (json != null) {
            return "the vendor answered invalid or truncated JSON (" + json.getOriginalMessage().lines().findFirst().orElse("") + ")";
        }
        if (ObjectHelper.getException(ConnectException.class, failure) != null) {
            return "the vendor could not be reached (connection refused)";
        }
        if (ObjectHelper.getException(UnknownHostException.class, failure) != null) {
            return "the vendor's host is unknown";
        }
        if (ObjectHelper.getException(SocketTimeoutException.class, failure) != null) {
            return "the vendor did not answer in time";
        }
        return SchemaMigrator.rootMessageOf(failure);
    }

    /** ": <the start of the body>", on one line, or nothing. */
    static String excerpt(String body) {
        if (body == null || body.isBlank()) {
            return "";
        }
        String one = body.replaceAll("\\s+", " ").trim();
        return ": " + (one.length() > EXCERPT ? one.substring(0, EXCERPT) + "…" : one);
    }
}
