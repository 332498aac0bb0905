package dev.aggregator.support;

/** Query-string parameters, checked: a bad one is a 400 naming the parameter, never a 500. */
public final class QueryParams {

    private QueryParams() {
    }

    public static int integer(String name, String raw, int fallback, int min, int max) {
        if (raw == null || raw.isBlank()) {
            return fallback;
        }
        try {
            long v = Long.parseLong(raw.trim());
            if (v < min || v > max) {
                throw ProblemException.badRequest(name + " must be between " + min + " and " + max + ", not " + raw.trim());
            }
            return (int) v;
        } catch (NumberFormatException e) {
            throw ProblemException.badRequest(name + " must be an integer, not '" + raw + "'");
        }
    }

}
