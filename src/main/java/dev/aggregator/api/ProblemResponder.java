package dev.aggregator.api;

import dev.aggregator.support.ProblemException;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.aggregator.config.DatabaseUnavailable;
import dev.aggregator.config.SchemaMigrator;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;

/** Turns the exception caught on an HTTP route into an application/problem+json answer. */
public class ProblemResponder {

    public static final String CONTENT_TYPE = "application/problem+json";
    private static final Logger LOG = LoggerFactory.getLogger(ProblemResponder.class);
    private final ObjectMapper json;
    private final SchemaMigrator schema;

    public ProblemResponder(ObjectMapper json, SchemaMigrator schema) {
        this.json = json;
        this.schema = schema;
    }

    /** Maps what a client caused to its 4xx; anything else is our fault: logged, and a 500 without internals. */
    public void render(Exchange exchange) throws JsonProcessingException {
        Throwable cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        ProblemException problem;
        if (cause instanceof ProblemException p) {
            problem = p;
        } else if (databaseUnavailable(cause)) {
            // Not the client's fault and not a bug: the connectivity monitor has said so once in the log.
            LOG.debug("Database unavailable serving {} {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), String.valueOf(cause));
            problem = new ProblemException(503, "Service Unavailable",
                    "The database is unavailable. Try again shortly; with an Idempotency-Key a retry never creates a second order.");
        } else {
            LOG.error("Unexpected failure serving {} {}: {}", exchange.getMessage().getHeader(Exchange.HTTP_METHOD),
                    exchange.getMessage().getHeader(Exchange.HTTP_PATH), String.valueOf(cause), cause);
            problem = new ProblemException(500, "Internal Server Error", "The request could not be completed; it has been logged.");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", problem.title());
        body.put("status", problem.status());
        body.put("detail", problem.detail());
        Object path = exchange.getMessage().getHeader(Exchange.HTTP_URI);
        if (path != null) {
            body.put("instance", path.toString());
        }
        exchange.getMessage().removeHeaders("*");
        if (problem.status() == 503) {
            exchange.getMessage().setHeader("Retry-After", "5");
        }
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, problem.status());
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, CONTENT_TYPE);
        exchange.getMessage().setBody(json.writeValueAsString(body));
    }

    /**
     * PostgreSQL unreachable, or reachable before the schema exists (start-up, a fresh database): 503,
     * which a client may retry, instead of a 500.
     */
    private boolean databaseUnavailable(Throwable cause) {
        if (DatabaseUnavailable.causes(cause)) {
            return true;
        }
        return !schema.isReady() && cause instanceof DataAccessException;
    }
}
