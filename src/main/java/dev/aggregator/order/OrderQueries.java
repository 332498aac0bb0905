package dev.aggregator.order;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.ProblemException;
import dev.aggregator.support.QueryParams;
import dev.aggregator.support.RenderedAnswer;
import dev.aggregator.support.SnapshotCache;
import dev.aggregator.support.Timestamps;
import org.apache.camel.Header;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * GET /orders/{orderId} and GET /orders?status=: an order's story as the database holds it, written as JSON
 * straight from the result set. Listings are kept in a {@link SnapshotCache} while the database is unchanged.
 */
public class OrderQueries {

    static final Set<String> STATUSES = Set.of("PENDING", "SYNCED", "FAILED", "CANCELLED");

    private static final JsonFactory JSON = new JsonFactory();

    private record ListKey(String status, int limit, int offset) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final OrderCounts counts;
    private final SnapshotCache cache;

    public OrderQueries(NamedParameterJdbcTemplate jdbc, OrderCounts counts, SnapshotCache cache) {
        this.jdbc = jdbc;
        this.counts = counts;
        this.cache = cache;
    }

    public RenderedAnswer one(@Header("orderId") String orderId) {
        UUID id;
        try {
            id = UUID.fromString(orderId == null ? "" : orderId.trim());
        } catch (IllegalArgumentException e) {
            throw ProblemException.notFound("no order '" + orderId + "' (order ids are UUIDs)");
        }
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            boolean found = jdbc.query(ClasspathText.load("sql/order/find-order.sql"), new MapSqlParameterSource("orderId", id),
                    (ResultSetExtractor<Boolean>) rs -> rs.next() && write(rs, json));
            if (!found) {
                throw ProblemException.notFound("no order " + id);
            }
            json.flush();
            return RenderedAnswer.of(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public RenderedAnswer list(@Header("status") String status, @Header("limit") String limit, @Header("offset") String offset) {
        String s = status == null || status.isBlank() ? null : status.trim().toUpperCase();
        if (s != null && !STATUSES.contains(s)) {
            throw ProblemException.badRequest("status must be PENDING, SYNCED, FAILED or CANCELLED, not '" + status + "'");
        }
        ListKey key = new ListKey(s, QueryParams.integer("limit", limit, 100, 1, 1000),
                QueryParams.integer("offset", offset, 0, 0, Integer.MAX_VALUE));
        return cache.get(key, () -> render(key), a -> a.body().length);
    }

    private SnapshotCache.Read<RenderedAnswer> render(ListKey key) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("status", key.status()).addValue("limit", key.limit()).addValue("offset", key.offset());
        String listing = key.status() == null ? "sql/order/list-orders.sql" : "sql/order/list-orders-by-status.sql";
        ByteArrayBuilder out = new ByteArrayBuilder(key.limit() * 360 + 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("orders");
            json.writeStartArray();
            String snapshot = jdbc.query(ClasspathText.load(listing), p, (ResultSetExtractor<String>) rs -> {
                String read = null;
                while (rs.next()) {
                    read = rs.getString("snapshot");
                    write(rs, json);
                }
                return read;
            });
            json.writeEndArray();
            json.writeNumberField("total", counts.total(key.status()));
            json.writeEndObject();
            json.flush();
            return new SnapshotCache.Read<>(snapshot, RenderedAnswer.of(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One order, its fields in the order the answer always had them (absent times as null). */
    static boolean write(ResultSet rs, JsonGenerator json) throws SQLException {
        try {
            json.writeStartObject();
            json.writeStringField("orderId", rs.getString(1));
            json.writeStringField("status", rs.getString(2));
            json.writeStringField("vendor", rs.getString(3));
            json.writeStringField("id", rs.getString(4));
            json.writeNumberField("quantity", rs.getInt(5));
            json.writeFieldName("unitPrice");
            json.writeNumber(rs.getString(6)); // numeric's own text: what BigDecimal wrote
            json.writeNumberField("attempts", rs.getInt(7));
            json.writeStringField("lastError", rs.getString(8));
            json.writeStringField("createdAt", Timestamps.isoFromUtcText(rs.getString(9)));
            json.writeStringField("updatedAt", Timestamps.isoFromUtcText(rs.getString(10)));
            json.writeStringField("syncedAt", Timestamps.isoFromUtcText(rs.getString(11)));
            json.writeStringField("failedAt", Timestamps.isoFromUtcText(rs.getString(12)));
            json.writeStringField("cancelledAt", Timestamps.isoFromUtcText(rs.getString("cancelled_at")));
            // the vendor's own reference for the order, read from its answer (a vendor file's orderRef)
            json.writeStringField("vendorRef", rs.getString("vendor_ref"));
            json.writeEndObject();
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
