package dev.aggregator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;

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
 * GET /products: checks the query parameters and writes the page as JSON straight from the result set (one
 * statement with the total, which triggers keep in product_counts, and no row maps), kept in a
 * {@link SnapshotCache} while the database is unchanged.
 */
public class ProductListing {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    private static final JsonFactory JSON = new JsonFactory();

    /** A checked request: the cache's key. {@code after} is ProductCursor.START without a cursor. */
    public record Query(String vendor, int limit, int offset, ProductCursor after) {
    }

    private final NamedParameterJdbcTemplate jdbc;
    private final SnapshotCache cache;

    public ProductListing(NamedParameterJdbcTemplate jdbc, SnapshotCache cache) {
        this.jdbc = jdbc;
        this.cache = cache;
    }

    /** Validates ?vendor=&limit=&offset=&cursor=: a bad one is a 400 whose detail names it. */
    public static Query query(String vendor, String limit, String offset, String cursor) {
        String v = vendor == null || vendor.isBlank() ? null : vendor.trim();
        ProductCursor after = ProductCursor.decode(cursor);
        if (after == null) {
            after = ProductCursor.START;
        } else if (v != null && !v.equals(after.vendor())) {
            throw ProblemException.badRequest("cursor continues the listing of vendor '" + after.vendor()
                    + "', not of vendor '" + v + "'");
        }
        return new Query(v, QueryParams.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
                QueryParams.integer("offset", offset, 0, 0, Integer.MAX_VALUE), after);
    }

    /** The answer to GET /products, as JSON bytes with their ETag. */
    public RenderedAnswer page(@Header("vendor") String vendor, @Header("limit") String limit,
                               @Header("offset") String offset, @Header("cursor") String cursor) {
        Query q = query(vendor, limit, offset, cursor);
        return cache.get(q, () -> render(q), a -> a.body().length);
    }

    SnapshotCache.Read<RenderedAnswer> render(Query q) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("vendor", q.vendor())
                .addValue("afterVendor", q.after().vendor())
                .addValue("afterLength", q.after().idLength())
                .addValue("afterId", q.after().idOrEmpty())
                .addValue("rows", q.limit() + 1) // one more than the page: is there a next one?
                .addValue("offset", q.offset());
        String sql = ClasspathText.load(q.vendor() == null ? "sql/products/page.sql" : "sql/products/page-of-vendor.sql");
        ByteArrayBuilder out = new ByteArrayBuilder(Math.min(q.limit(), 200) * 220 + 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("products");
            json.writeStartArray();
            Written page = jdbc.query(sql, p, (ResultSetExtractor<Written>) rs -> write(rs, json, q.limit()));
            json.writeEndArray();
            json.writeNumberField("total", page.snapshot() != null ? page.total() : count(q.vendor()));
            json.writeNumberField("limit", q.limit());
            json.writeNumberField("offset", q.offset());
            if (page.next() != null) {
                json.writeStringField("nextCursor", page.next().encode());
            }
            json.writeEndObject();
            json.flush();
            return new SnapshotCache.Read<>(page.snapshot(), RenderedAnswer.of(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a page's statement gave besides the JSON: its snapshot, the total, where the next page starts (or null). */
    private record Written(String snapshot, long total, ProductCursor next) {
    }

    /** The rows as the contract's product objects, in the field order the answer always had. */
    private static Written write(ResultSet rs, JsonGenerator json, int limit) throws SQLException {
        String snapshot = null;
        long total = 0;
        String lastVendor = null;
        String lastId = null;
        int n = 0;
        try {
            while (rs.next()) {
                snapshot = rs.getString("snapshot");
                total = rs.getLong("total");
                if (n == limit) {
                    return new Written(snapshot, total, new ProductCursor(lastVendor, lastId));
                }
                n++;
                lastVendor = rs.getString(1);
                lastId = rs.getString(2);
                json.writeStartObject();
                json.writeStringField("vendor", lastVendor);
                json.writeStringField("id", lastId);
                json.writeStringField("name", rs.getString(3));
                json.writeFieldName("price");
                json.writeNumber(rs.getString(4)); // numeric's own text: what BigDecimal wrote
                json.writeNumberField("stock", rs.getInt(5));
                json.writeNumberField("vendorStock", rs.getInt(6));
                json.writeNumberField("reserved", rs.getInt(7));
                json.writeStringField("fetchedAt", Timestamps.isoFromUtcText(rs.getString(8)));
                json.writeStringField("updatedAt", Timestamps.isoFromUtcText(rs.getString(9)));
                String delisted = rs.getString(10);
                if (delisted != null) {
                    // no longer in the vendor's listing: stock 0
                    json.writeStringField("delistedAt", Timestamps.isoFromUtcText(delisted));
                }
                json.writeEndObject();
            }
            return new Written(snapshot, total, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The total for a page past the end, which has no row to carry it. */
    private long count(String vendor) {
        String sql = ClasspathText.load(vendor == null ? "sql/products/count.sql" : "sql/products/count-of-vendor.sql");
        return jdbc.queryForObject(sql, new MapSqlParameterSource("vendor", vendor), Long.class);
    }
}
