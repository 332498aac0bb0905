package dev.aggregator.stock;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One page of a vendor's product list, and where the next page starts. Vendors answer either
 * dummyjson-style {"products":[…],"total","skip","limit"} or a bare array (everything at once).
 */
public record CatalogPage(List<JsonNode> products, int nextSkip, int pageSize) {

    /** No further page. */
    public static final int LAST = -1;

    public boolean hasNext() {
        return nextSkip != LAST;
    }

    /**
     * Reads a paged vendor answer; throws VendorAnswerException when it is not one. (A bare array is
     * streamed by CatalogReader instead, never read whole.)
     */
    public static CatalogPage parse(JsonNode answer, int requestedSkip) {
        if (answer == null || answer.isNull()) {
            throw new VendorAnswerException("answered no JSON");
        }
        JsonNode products = answer.get("products");
        if (!answer.isObject() || products == null || !products.isArray()) {
            throw new VendorAnswerException("answered JSON that is neither an array nor an object with a products array"
                    + PollFailures.excerpt(answer.toString()));
        }
        List<JsonNode> items = elements(products);
        int skip = answer.path("skip").canConvertToInt() ? answer.path("skip").asInt() : requestedSkip;
        int limit = answer.path("limit").canConvertToInt() && answer.path("limit").asInt() > 0
                ? answer.path("limit").asInt() : items.size();
        long total = answer.path("total").canConvertToLong() ? answer.path("total").asLong() : items.size();
        int next = skip + items.size();
        // An empty page or one that does not advance ends the walk, so a confused vendor cannot loop us.
        boolean more = !items.isEmpty() && next > requestedSkip && next < total;
        return new CatalogPage(items, more ? next : LAST, Math.max(limit, items.size()));
    }

    private static List<JsonNode> elements(JsonNode array) {
        List<JsonNode> list = new ArrayList<>(array.size());
        array.forEach(list::add);
        return list;
    }
}
