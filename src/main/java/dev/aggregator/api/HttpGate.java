package dev.aggregator.api;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;
import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpRouter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the HTTP server answers while the service starts or stops: 503 with Retry-After, as problem+json.
 * The server listens before the REST routes are added and still listens after their consumers stopped,
 * and answered 404 (an HTML page: "no such thing", not "try again") or a bare 503 then. The fault soak
 * saw an instance's restart refuse orders with 404 (StartStopAnswersIT). A first handler on the router
 * lets requests through only while the context runs (status Started; routes a vendor file adds later
 * do not change it).
 */
public class HttpGate implements StartupListener {

    private static final Logger LOG = LoggerFactory.getLogger(HttpGate.class);
    private final ObjectMapper json;
    private volatile boolean installed;

    public HttpGate(ObjectMapper json) {
        this.json = json;
    }

    /**
     * The server creates its router and listens in one step of the context's start, with no callback in
     * between: the gate goes in as soon as the router is there, looked for every millisecond from here.
     */
    @Override
    public void onCamelContextStarting(CamelContext context, boolean alreadyStarted) {
        var watcher = context.getExecutorServiceManager().newSingleThreadExecutor(this, "http-gate");
        watcher.execute(() -> {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
            while (!install(context) && System.nanoTime() < deadline && !context.isStopping() && !context.isStopped()) {
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
            }
        });
        watcher.shutdown();
    }

    @Override
    public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
        install(context);
    }

    /** Puts the gate in front of every route once the router exists; whether it is in place. */
    private synchronized boolean install(CamelContext context) {
        if (installed) {
            return true;
        }
        VertxPlatformHttpRouter router;
        try {
            router = context.getRegistry().findByType(VertxPlatformHttpRouter.class).stream().findFirst().orElse(null);
        } catch (java.util.ConcurrentModificationException e) {
            // Camel's registry is a plain map that the starting context binds into meanwhile: look again in 1 ms
            // (it killed this thread, with a stack trace in the log, in DatabaseDownAtStartIT).
            return false;
        }
        if (router == null) {
            return false; // the server is not created yet (or camel.server.enabled = false)
        }
        router.route().order(Integer.MIN_VALUE).handler(request -> {
            if (context.isStarted()) {
                request.next();
            } else {
                unavailable(request);
            }
        });
        installed = true;
        LOG.debug("HTTP gate in place: 503 until the service runs");
        return true;
    }

    private void unavailable(RoutingContext request) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", "about:blank");
        body.put("title", "Service Unavailable");
        body.put("status", 503);
        body.put("detail", "The service is starting or stopping. Try again shortly.");
        body.put("instance", request.request().path());
        String text;
        try {
            text = json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            text = "{\"status\":503}";
        }
        request.response().setStatusCode(503)
                .putHeader("Retry-After", "5")
                .putHeader("Content-Type", ProblemResponder.CONTENT_TYPE)
                .end(text);
    }
}
