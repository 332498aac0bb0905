package dev.aggregator.ops;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;

/** GET /health/live and /health/ready for orchestrators: 200 when every check is UP, 503 otherwise. */
public class HealthAnswers {

    private final ObjectMapper json;

    public HealthAnswers(ObjectMapper json) {
        this.json = json;
    }

    public void live(Exchange exchange) throws JsonProcessingException {
        answer(exchange, HealthCheckHelper.invokeLiveness(exchange.getContext()));
    }

    public void ready(Exchange exchange) throws JsonProcessingException {
        answer(exchange, HealthCheckHelper.invokeReadiness(exchange.getContext()));
    }

    private void answer(Exchange exchange, Collection<HealthCheck.Result> results) throws JsonProcessingException {
        boolean up = results.stream().allMatch(r -> r.getState() == HealthCheck.State.UP);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", up ? "UP" : "DOWN");
        body.put("checks", ServiceHealthChecks.render(results));
        exchange.getMessage().removeHeaders("*");
        exchange.getMessage().setHeader(Exchange.HTTP_RESPONSE_CODE, up ? 200 : 503);
        if (!up) {
            exchange.getMessage().setHeader("Retry-After", "5"); // as every other 503 of ours: ask again shortly
        }
        exchange.getMessage().setHeader(Exchange.CONTENT_TYPE, "application/json");
        exchange.getMessage().setBody(json.writeValueAsString(body));
    }
}
