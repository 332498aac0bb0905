package dev.aggregator.webhook;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.UUID;

import dev.aggregator.config.ClasspathText;
import dev.aggregator.config.Settings;
import dev.aggregator.support.ProblemException;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * Where order events enter the webhook outbox: in the transaction that changes an order's status, so an
 * event exists exactly when its change committed (WebhookRelay sends them afterwards, off the order's path).
 * Also the check of a POST /order callbackUrl against WEBHOOK_ALLOWED_HOSTS.
 */
public class WebhookOutbox {

    public static final String SYNCED = "order.synced";
    public static final String FAILED = "order.failed";
    public static final String CANCELLED = "order.cancelled";

    static final int MAX_CALLBACK_URL = 2000;

    private final NamedParameterJdbcTemplate jdbc;
    private final Settings.Webhooks settings;

    public WebhookOutbox(NamedParameterJdbcTemplate jdbc, Settings.Webhooks settings) {
        this.jdbc = jdbc;
        this.settings = settings;
    }

    /** WEBHOOK_URL as the statements take it (the :webhookUrl parameter); null when unset. */
    public String url() {
        return settings.url() == null ? null : settings.url().toString();
    }

    /**
     * The order's event, for WEBHOOK_URL and its callbackUrl, with the order as this transaction sees it. Call
     * it inside the transaction that made the change (the JdbcTemplate joins it): mark-failed does, and the
     * cancel does through {@link #orderCancelled}. Writes nothing when the order has no receiver.
     */
    public int orderChanged(UUID orderId, String eventType) {
        if (!settings.enabled()) {
            return 0; // no receiver can exist: no statement in the caller's transaction
        }
        return jdbc.update(ClasspathText.load("sql/webhook/enqueue-event.sql"), new MapSqlParameterSource()
                .addValue("orderId", orderId).addValue("eventType", eventType).addValue("webhookUrl", url()));
    }

    /** For the cancel (issue 26): call it in the transaction that set the order CANCELLED. */
    public int orderCancelled(UUID orderId) {
        return orderChanged(orderId, CANCELLED);
    }

    /**
     * A POST /order callbackUrl, or a 400 naming it: an absolute http(s) URL without credentials whose host
     * WEBHOOK_ALLOWED_HOSTS lists. Only listed hosts: the service would otherwise POST wherever a client
     * says, inside the operator's network too.
     */
    public String checkCallbackUrl(String raw) {
        if (raw == null) {
            return null;
        }
        if (raw.isBlank() || raw.length() > MAX_CALLBACK_URL) {
            throw ProblemException.badRequest("callbackUrl must be an http(s) URL of at most " + MAX_CALLBACK_URL + " characters");
        }
        URI uri;
        try {
            uri = new URI(raw.trim());
        } catch (URISyntaxException e) {
            throw ProblemException.badRequest("callbackUrl is not a valid URL (" + e.getReason() + ")");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw ProblemException.badRequest("callbackUrl must be an absolute http(s) URL, not '" + raw + "'");
        }
        if (uri.getRawUserInfo() != null) {
            throw ProblemException.badRequest("callbackUrl must not carry credentials");
        }
        if (!settings.allows(uri.getHost())) {
            throw ProblemException.badRequest("callbackUrl's host '" + uri.getHost() + "' is not one the operator allows"
                    + (settings.allowedHosts().isEmpty() ? " (WEBHOOK_ALLOWED_HOSTS is empty: no callbackUrl is accepted)"
                    : " (WEBHOOK_ALLOWED_HOSTS)"));
        }
        return uri.toString();
    }
}
