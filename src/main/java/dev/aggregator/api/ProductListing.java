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
        if (after.searched()) {
            throw ProblemException.badRequest("cursor continues a listing with q, inStock, minPrice, maxPrice or sort '"
                    + after.sort() + "'; ask again with the parameters of the answer that gave it");
        }
        return new Query(v, QueryParams.integer("limit", limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
                QueryParams.integer("offset", offset, 0, 0, Integer.MAX_VALUE), after);
    }

    /**
     * The answer to GET /products, as JSON bytes with their ETag. With q, inStock, minPrice, maxPrice or sort it
     * is a {@link ProductSearch}; without them the default listing, whose statements stay as they were.
     */
    public RenderedAnswer page(@Header("vendor") String vendor, @Header("limit") String limit,
                               @Header("offset") String offset, @Header("cursor") String cursor,
                               @Header("q") String q, @Header("inStock") String inStock,
                               @Header("minPrice") String minPrice, @Header("maxPrice") String maxPrice,
                               @Header("sort") String sort) {
        if (ProductSearch.asked(q, inStock, minPrice, maxPrice, sort)) {
            ProductSearch s = ProductSearch.parse(vendor, limit, offset, cursor, q, inStock, minPrice, maxPrice, sort);
            return cache.get(s, () -> render(s), a -> a.body().length);
        }
        Query query = query(vendor, limit, offset, cursor);
        return cache.get(query, () -> render(query), a -> a.body().length);
    }

    /** The key of one product's answer in the cache (beside the listings' keys). */
    private record One(String vendor, String id) {
    }

    /** The answer to GET /products/{vendor}/{id}: the product as one element of the listing; 404 if unknown. */
    public RenderedAnswer product(@Header("vendor") String vendor, @Header("id") String id) {
        One key = new One(vendor, id);
        return cache.get(key, () -> renderOne(key), a -> a.body().length);
    }

    private SnapshotCache.Read<RenderedAnswer> renderOne(One key) {
        MapSqlParameterSource p = new MapSqlParameterSource().addValue("vendor", key.vendor()).addValue("id", key.id());
        ByteArrayBuilder out = new ByteArrayBuilder(512);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            String snapshot = jdbc.query(ClasspathText.load("sql/products/one.sql"), p, (ResultSetExtractor<String>) rs -> {
                if (!rs.next()) {
                    return null;
                }
                writeProduct(rs, json);
                return rs.getString("snapshot");
            });
            if (snapshot == null) {
                // Not kept: a product that appears later must be found at once (a miss costs one indexed read).
                throw ProblemException.notFound("no product '" + key.id() + "' of vendor '" + key.vendor() + "'");
            }
            json.flush();
            return new SnapshotCache.Read<>(snapshot, RenderedAnswer.of(out.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    SnapshotCache.Read<RenderedAnswer> render(ProductSearch s) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("vendor", s.vendor())
                .addValue("q", s.likeQ())
                .addValue("minPrice", s.minPrice())
                .addValue("maxPrice", s.maxPrice())
                .addValue("rows", s.limit() + 1)
                .addValue("offset", s.offset());
        if (s.after() != null) {
            p.addValue("afterVendor", s.after().vendor())
                    .addValue("afterLength", s.after().idLength())
                    .addValue("afterId", s.after().productId())
                    .addValue("afterKey", s.after().key());
        }
        String total = s.filtered() ? "(SELECT count(*) FROM products p WHERE TRUE" + s.filters() + ")"
                : s.vendor() == null ? "(SELECT coalesce(sum(products), 0) FROM product_counts)"
                : "(SELECT coalesce(sum(products), 0) FROM product_counts WHERE vendor = :vendor)";
        String sql = ClasspathText.load("sql/products/search.sql")
                .replace("/*key*/", s.sort().keyText())
                .replace("/*total*/", total)
                .replace("/*filters*/", s.filters())
                .replace("/*after*/", s.after() == null ? "" : " AND " + s.sort().after())
                .replace("/*order*/", s.sort().orderBy());
        ByteArrayBuilder out = new ByteArrayBuilder(Math.min(s.limit(), 200) * 220 + 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("products");
            json.writeStartArray();
            Written page = jdbc.query(sql, p, (ResultSetExtractor<Written>) rs -> write(rs, json, s));
            json.writeEndArray();
            return finish(json, out, page, page.snapshot() != null ? page.total() : count(s, total), s.limit(), s.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A search's rows, as {@link #write(ResultSet, JsonGenerator, int)} writes the listing's. */
    private static Written write(ResultSet rs, JsonGenerator json, ProductSearch s) throws SQLException {
        String snapshot = null;
        long total = 0;
        String lastVendor = null;
        String lastId = null;
        String lastKey = null;
        int n = 0;
        while (rs.next()) {
            snapshot = rs.getString("snapshot");
            total = rs.getLong("total");
            if (n == s.limit()) {
                return new Written(snapshot, total, s.next(lastVendor, lastId, lastKey));
            }
            n++;
            lastVendor = rs.getString(1);
            lastId = rs.getString(2);
            lastKey = rs.getString("sort_key");
            writeProduct(rs, json);
        }
        return new Written(snapshot, total, null);
    }

    /** The total of a search whose page is empty (past the end): the same count, alone. */
    private long count(ProductSearch s, String total) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("vendor", s.vendor())
                .addValue("q", s.likeQ())
                .addValue("minPrice", s.minPrice())
                .addValue("maxPrice", s.maxPrice());
        return jdbc.queryForObject("SELECT " + total, p, Long.class);
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
            return finish(json, out, page, page.snapshot() != null ? page.total() : count(q.vendor()), q.limit(), q.offset());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What a page's statement gave besides the JSON: its snapshot, the total, where the next page starts (or null). */
    /** The page's tail, the same for a listing and a search: total, limit, offset, the next cursor. */
    private static SnapshotCache.Read<RenderedAnswer> finish(JsonGenerator json, ByteArrayBuilder out, Written page, long total,
                                                             int limit, int offset) throws IOException {
        json.writeNumberField("total", total);
        json.writeNumberField("limit", limit);
        json.writeNumberField("offset", offset);
        if (page.next() != null) {
            json.writeStringField("nextCursor", page.next().encode());
        }
        json.writeEndObject();
        json.flush();
        return new SnapshotCache.Read<>(page.snapshot(), RenderedAnswer.of(out.toByteArray()));
    }

    private record Written(String snapshot, long total, ProductCursor next) {
    }

    /** The rows as the contract's product objects, in the field order the answer always had. */
    private static Written write(ResultSet rs, JsonGenerator json, int limit) throws SQLException {
        String snapshot = null;
        long total = 0;
        String lastVendor = null;
        String lastId = null;
        int n = 0;
        while (rs.next()) {
            snapshot = rs.getString("snapshot");
            total = rs.getLong("total");
            if (n == limit) {
                return new Written(snapshot, total, new ProductCursor(lastVendor, lastId));
            }
            n++;
            lastVendor = rs.getString(1);
            lastId = rs.getString(2);
            writeProduct(rs, json);
        }
        return new Written(snapshot, total, null);
    }

    /** The row's product as the contract's object, in the field order the answer always had. */
    private static void writeProduct(ResultSet rs, JsonGenerator json) throws SQLException {
        try {
            json.writeStartObject();
            json.writeStringField("vendor", rs.getString(1));
            json.writeStringField("id", rs.getString(2));
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
