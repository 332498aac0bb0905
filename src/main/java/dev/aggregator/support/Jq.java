package dev.aggregator.support;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import net.thisptr.jackson.jq.BuiltinFunctionLoader;
import net.thisptr.jackson.jq.JsonQuery;
import net.thisptr.jackson.jq.Scope;
import net.thisptr.jackson.jq.Versions;
import net.thisptr.jackson.jq.exception.JsonQueryException;

/**
 * One compiled jq expression (jackson-jq, the library camel-jq runs on), the language a vendor file maps
 * a vendor's answers with. Why jq and not JSONPath: a mapping must select nested records (a product's
 * variants, each named from its parent), build objects and convert values ("12.50", 1250 cents → 12.50),
 * which JSONPath cannot express; jq does all of it in one small language, and CSV rows and XML elements
 * read as JSON trees take the same expressions.
 */
public final class Jq {

    /**
     * The builtins (tonumber, select, map, …), loaded once: every expression's scope is a child of it. In a holder,
     * loaded when an expression first runs: every start reaches this class (VendorApi.DEFAULT), and loading them
     * cost about 80 ms of the start and JIT time beside the first poll even with no vendor file (issue 26).
     */
    private static final class Builtins {
        static final Scope ROOT = root();
    }

    private final String source;
    private final JsonQuery query;

    private Jq(String source, JsonQuery query) {
        this.source = source;
        this.query = query;
    }

    private static Scope root() {
        Scope scope = Scope.newEmptyScope();
        BuiltinFunctionLoader.getInstance().loadFunctions(Versions.JQ_1_6, scope);
        return scope;
    }

    /** Compiles the expression; a syntax error is an IllegalArgumentException naming it. */
    public static Jq compile(String expression) {
        try {
            return new Jq(expression, JsonQuery.compile(expression, Versions.JQ_1_6));
        } catch (JsonQueryException | RuntimeException e) {
            throw new IllegalArgumentException("'" + expression + "' is not a jq expression: " + firstLine(e.getMessage()), e);
        }
    }

    /** Null for a blank expression (the setting is not used), else the compiled expression. */
    public static Jq compileOptional(String expression) {
        return expression == null || expression.isBlank() ? null : compile(expression.trim());
    }

    /** Every output of the expression on this input, in order. */
    public List<JsonNode> all(JsonNode input) {
        List<JsonNode> out = new ArrayList<>();
        try {
            query.apply(Scope.newChildScope(Builtins.ROOT), input, out::add);
        } catch (JsonQueryException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": " + firstLine(e.getMessage()), e);
        }
        return out;
    }

    /** The first output, or null when there is none (or it is null). */
    public JsonNode first(JsonNode input) {
        List<JsonNode> out = all(input);
        return out.isEmpty() || out.get(0).isNull() ? null : out.get(0);
    }

    public String source() {
        return source;
    }

    @Override
    public String toString() {
        return source;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "error";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
