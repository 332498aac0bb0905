package dev.aggregator.support;

import java.util.Collection;
import java.util.List;
import java.util.regex.Pattern;

import ch.qos.logback.classic.pattern.MessageConverter;
import ch.qos.logback.classic.pattern.ThrowableProxyConverter;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Every log line is written with the secrets the service knows hidden (issue 25): the vendors' tokens,
 * passwords, header and query values (VendorRegistry keeps the list current) and the admin token, and any
 * Authorization header's credentials. Our own lines redact what they quote already; this is for the libraries'
 * (Apache HttpClient's header and wire logs, Camel's HTTP components, Vert.x at DEBUG print requests as sent),
 * and for exception messages that quote a URL. logback.xml uses these converters for %msg and the stack trace.
 */
public final class SecretMasking {

    public static final String HIDDEN = "***";
    /** "Authorization: Bearer abc", "authorization=Basic abc", a JSON "Authorization":"Bearer abc": the credentials. */
    private static final Pattern AUTHORIZATION = Pattern.compile(
            "(?i)((?:proxy-)?authorization\"?\\s*[:=]\\s*\"?(?:(?:bearer|basic|token|digest)\\s+)?)[^\\s\"',;\\[\\]]+");
    private static volatile List<String> secrets = List.of();

    private SecretMasking() {
    }

    /** The secret values to hide from now on (values shorter than 4 characters are not secrets worth a search). */
    public static void secrets(Collection<String> values) {
        secrets = values.stream().filter(v -> v != null && v.length() >= 4).distinct()
                // longest first: a secret that contains another is hidden whole
                .sorted((a, b) -> Integer.compare(b.length(), a.length())).toList();
    }

    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String out = text;
        for (String secret : secrets) {
            if (out.contains(secret)) {
                out = out.replace(secret, HIDDEN);
            }
        }
        if (containsIgnoreCase(out, "authorization")) {
            out = AUTHORIZATION.matcher(out).replaceAll("$1" + HIDDEN);
        }
        return out;
    }

    /** Without a lower-cased copy of every line written. */
    private static boolean containsIgnoreCase(String text, String word) {
        for (int i = 0, last = text.length() - word.length(); i <= last; i++) {
            if (text.regionMatches(true, i, word, 0, word.length())) {
                return true;
            }
        }
        return false;
    }

    /** %msg with the secrets hidden. */
    public static final class Message extends MessageConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return mask(super.convert(event));
        }
    }

    /** The stack trace with the secrets hidden (an exception's message often quotes the URL it failed on). */
    public static final class Stack extends ThrowableProxyConverter {
        @Override
        public String convert(ILoggingEvent event) {
            return mask(super.convert(event));
        }
    }
}
