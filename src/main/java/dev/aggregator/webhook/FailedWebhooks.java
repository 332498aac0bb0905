package dev.aggregator.webhook;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.ProblemException;
import dev.aggregator.support.QueryParams;
import dev.aggregator.support.Timestamps;
import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/** The admin API's and the dashboard's view of webhooks: those kept as failed, re-sent on request; the counts. */
public class FailedWebhooks {

    private static final Logger LOG = LoggerFactory.getLogger(FailedWebhooks.class);

    private final NamedParameterJdbcTemplate jdbc;

    public FailedWebhooks(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** GET /admin/webhooks/failed: {failed: [{eventId, type, orderId, url, attempts, lastStatus, lastError, createdAt, failedAt}], total}. */
    public Map<String, Object> list(@Header("limit") String limit) {
        int n = QueryParams.integer("limit", limit, 100, 1, 1000);
        List<Map<String, Object>> failed = jdbc.query(ClasspathText.load("sql/webhook/list-failed.sql"), Map.of("limit", n), (rs, i) -> {
            Map<String, Object> w = new LinkedHashMap<>();
            w.put("eventId", rs.getString("event_id"));
            w.put("type", rs.getString("event_type"));
            w.put("orderId", rs.getString("order_id"));
            w.put("url", rs.getString("url"));
            w.put("attempts", rs.getInt("attempts"));
            w.put("lastStatus", rs.getObject("last_status"));
            w.put("lastError", rs.getString("last_error"));
            w.put("createdAt", Timestamps.iso(rs.getTimestamp("created_at")));
            w.put("failedAt", Timestamps.iso(rs.getTimestamp("failed_at")));
            return w;
        });
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("failed", failed);
        answer.put("total", counts().get("failed"));
        return answer;
    }

    /** POST /admin/webhooks/{eventId}/resend: due now, with a new retry window; 404 for an event not kept (or delivered). */
    public Map<String, Object> resendOne(@Header("eventId") String eventId) {
        UUID id;
        try {
            id = UUID.fromString(eventId == null ? "" : eventId.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no webhook event '" + eventId + "' (event ids are UUIDs)");
        }
        List<String> resent = resend(id);
        if (resent.isEmpty()) {
            throw ProblemException.notFound("no webhook event " + id + " waiting or failed (a delivered one is not kept)");
        }
        return Map.of("resent", resent);
    }

    /** POST /admin/webhooks/failed/resend: every failed event due now, each with a new retry window. */
    public Map<String, Object> resendAll() {
        return Map.of("resent", resend(null));
    }

    private List<String> resend(UUID eventId) {
        List<String> resent = jdbc.queryForList(ClasspathText.load("sql/webhook/resend.sql"),
                new MapSqlParameterSource("eventId", eventId), String.class);
        if (!resent.isEmpty()) {
            LOG.info("Webhooks re-sent by an operator: {}", resent.size() == 1 ? resent.get(0) : resent.size() + " events");
        }
        return resent;
    }

    /** {pending, failed}: events still being tried, and those kept as failed. */
    public Map<String, Object> counts() {
        return jdbc.queryForObject(ClasspathText.load("sql/webhook/counts.sql"), Map.of(), (rs, i) -> {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("pending", rs.getLong("pending"));
            c.put("failed", rs.getLong("failed"));
            return c;
        });
    }
}
