package dev.aggregator.api;

import dev.aggregator.support.ProblemException;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.camel.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes /admin/**: the caller must send Authorization: Bearer $ADMIN_TOKEN. Compared in constant time;
 * the token is never logged. With no token configured, everything is refused (403).
 */
public class AdminGuard {

    private static final Logger LOG = LoggerFactory.getLogger(AdminGuard.class);

    private final byte[] token;
    private final AtomicBoolean warned = new AtomicBoolean();

    public AdminGuard(String token) {
        this.token = token == null || token.isBlank() ? null : token.trim().getBytes(StandardCharsets.UTF_8);
    }

    public void check(@Header("Authorization") String authorization) {
        if (token == null) {
            if (warned.compareAndSet(false, true)) {
                LOG.warn("An admin request was refused: no ADMIN_TOKEN is set. Set the ADMIN_TOKEN environment variable to open /admin.");
            }
            throw new ProblemException(403, "Forbidden", "the admin API is closed: ADMIN_TOKEN is not set on the server");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new ProblemException(401, "Unauthorized", "send Authorization: Bearer <ADMIN_TOKEN>");
        }
        byte[] given = authorization.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(token, given)) {
            throw new ProblemException(403, "Forbidden", "the bearer token is not the admin token");
        }
    }
}
