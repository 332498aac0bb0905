package dev.aggregator.stock;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Reads a vendor's JSON answer so that one odd thing in it costs no more than it must: the answer is decoded
 * by the charset its Content-Type names (a Latin-1 answer read as UTF-8 failed the whole poll, every period),
 * and a record nested deeper than the readers after the poller take becomes one product that says so, which
 * the normalizer rejects alone, instead of Jackson's nesting limit failing the whole answer (issue 25, item 6).
 */
final class VendorJson {

    /**
     * The deepest record passed on, counting the record itself as one level. Every reader after the poller
     * keeps Jackson's limit of 1,000 levels (the consumer reading the queued envelope, the recordset the upsert
     * writes), and the envelope wraps a record in up to three more: its object, its products array and, for a
     * vendor file, the mapped product's object.
     */
    static final int MAX_RECORD_DEPTH = StreamReadConstraints.DEFAULT_MAX_DEPTH - 3;
    /**
     * How deep an answer may nest before it fails as a whole: well past Jackson's default, so that a record
     * nested too deep is read (and rejected) rather than ending the page; bounded, because the parser keeps a
     * context per open level.
     */
    static final int MAX_ANSWER_DEPTH = 100_000;
    static final String TOO_DEEP = "record nested more than " + MAX_RECORD_DEPTH + " levels deep";

    /**
     * What stands in an answer's tree where it was nested past Jackson's default limit, so that nothing
     * deeper reaches code that recurses (an excerpt's toString, a jq expression); a record holding one is too deep.
     */
    private static final JsonNode CUT = new TextNode("(nested too deep)");

    private final ObjectMapper json;
    private final JsonFactory factory;

    VendorJson(ObjectMapper json) {
        this.json = json;
        this.factory = json.getFactory().copy().setStreamReadConstraints(
                json.getFactory().streamReadConstraints().rebuild().maxNestingDepth(MAX_ANSWER_DEPTH).build());
    }

    /**
     * A parser of the answer: its bytes as Jackson detects them (UTF-8, or UTF-16/32), unless its
     * Content-Type names another charset, by which it is then decoded.
     */
    JsonParser parser(InputStream body, String contentType) throws IOException {
        Charset charset = charset(contentType, null);
        if (charset == null || charset.equals(StandardCharsets.UTF_8)) {
            return factory.createParser(body);
        }
        return factory.createParser(new InputStreamReader(body, charset));
    }

    /** The charset a Content-Type names ("…; charset=ISO-8859-1"), or the fallback when it names none we know. */
    static Charset charset(String contentType, Charset fallback) {
        if (contentType != null) {
            for (String part : contentType.split(";")) {
                String p = part.trim();
                if (p.toLowerCase(Locale.ROOT).startsWith("charset=")) {
                    try {
                        return Charset.forName(p.substring(8).replace("\"", "").trim());
                    } catch (RuntimeException e) {
                        return fallback;
                    }
                }
            }
        }
        return fallback;
    }

    /**
     * The rest of the answer (the parser at its first token) as a tree in which nothing is nested deeper than
     * Jackson's default limit: a deeper part is cut off, and a record that held one is found by {@link #checked}.
     */
    JsonNode readTree(JsonParser parser) throws IOException {
        JsonNode tree = json.readTree(parser);
        if (tree != null) {
            cut(tree);
        }
        return tree;
    }

    /** The record as it is, or, when it is nested too deep, the product that says so. */
    JsonNode checked(JsonNode record) {
        return tooDeep(record) ? rejected(record) : record;
    }

    /** Whether the record is nested deeper than MAX_RECORD_DEPTH, or was cut (it was deeper still). */
    static boolean tooDeep(JsonNode record) {
        Deque<JsonNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(record);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.pop();
            int depth = depths.pop();
            if (node == CUT || depth > MAX_RECORD_DEPTH) {
                return true;
            }
            for (JsonNode child : node) {
                if (child.isContainerNode() || child == CUT) {
                    nodes.push(child);
                    depths.push(depth + 1);
                }
            }
        }
        return false;
    }

    /**
     * The product a record too deep becomes: its reason, with the record's top-level values (an id, a name)
     * so that its dead letter says which it was; nothing nested, so it is as shallow as a product can be.
     */
    private ObjectNode rejected(JsonNode record) {
        ObjectNode product = json.createObjectNode();
        if (record.isObject()) {
            for (Map.Entry<String, JsonNode> field : record.properties()) {
                if (field.getValue().isValueNode() && field.getValue() != CUT) {
                    product.set(field.getKey(), field.getValue());
                }
            }
        }
        product.put(ProductNormalizer.READ_ERROR, TOO_DEEP);
        return product;
    }

    /** Replaces every part of the tree nested past Jackson's default limit (the root is level one) by CUT. */
    private static void cut(JsonNode root) {
        Deque<JsonNode> nodes = new ArrayDeque<>();
        Deque<Integer> depths = new ArrayDeque<>();
        nodes.push(root);
        depths.push(1);
        while (!nodes.isEmpty()) {
            JsonNode node = nodes.pop();
            int depth = depths.pop();
            boolean last = depth >= StreamReadConstraints.DEFAULT_MAX_DEPTH;
            if (node instanceof ObjectNode object) {
                for (Iterator<Map.Entry<String, JsonNode>> it = object.properties().iterator(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> field = it.next();
                    if (field.getValue().isContainerNode()) {
                        if (last) {
                            field.setValue(CUT);
                        } else {
                            nodes.push(field.getValue());
                            depths.push(depth + 1);
                        }
                    }
                }
            } else if (node instanceof ArrayNode array) {
                for (int i = 0; i < array.size(); i++) {
                    if (array.get(i).isContainerNode()) {
                        if (last) {
                            array.set(i, CUT);
                        } else {
                            nodes.push(array.get(i));
                            depths.push(depth + 1);
                        }
                    }
                }
            }
        }
    }
}
