package dev.aggregator.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Pattern;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import dev.aggregator.config.ClasspathText;
import dev.aggregator.support.ProblemException;
import dev.aggregator.support.QueryParams;
import dev.aggregator.support.RenderedAnswer;
import dev.aggregator.support.Timestamps;
import org.apache.camel.Header;
import org.springframework.jdbc.core.ResultSetExtractor;
import org.springframework.jdbc.core.namedparam.MapSqlParameterSource;
import org.springframework.jdbc.core.namedparam.NamedParameterJdbcTemplate;

/**
 * GET /products?updatedSince=: the changes feed (issue 26). Answers the products whose name, price, stock
 * (vendor_stock or reserved) or listing changed after a cursor or an instant, oldest change first, and the
 * nextCursor to ask again with, also when nothing changed. No change is ever skipped: see changes.sql and V18
 * for why the order is the changing transaction's id and not a time.
 */
public class ProductChanges {

    private static final JsonFactory JSON = new JsonFactory();
    /** An instant starts with its year; a cursor never does (its version byte makes it start with "A"). */
    private static final Pattern LOOKS_LIKE_INSTANT = Pattern.compile("^\\d{4}-.*");
    /** A '+' of an offset sent unencoded arrives as a space (form decoding). */
    private static final Pattern SPACE_FOR_PLUS = Pattern.compile(" (\\d\\d(:?\\d\\d)?)$");

    /**
     * A checked request. {@code since} is the instant asked for ("-infinity" for a cursor): it filters the first
     * page only, whose cursor starts at the first transaction; later pages go on from that page's cursor.
     */
    public record Query(String vendor, int limit, ChangeCursor after, String since) {
    }

    private final NamedParameterJdbcTemplate jdbc;

    public ProductChanges(NamedParameterJdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Validates ?updatedSince=&vendor=&limit= (and refuses offset and cursor beside it): a 400 names the bad one. */
    public static Query query(String updatedSince, String vendor, String limit, String offset, String cursor) {
        // offset=0 is what the REST DSL's default puts there when the client sent none
        if (offset != null && !offset.isBlank() && !offset.trim().equals("0")) {
            throw ProblemException.badRequest("offset cannot be combined with updatedSince: the changes feed goes on"
                    + " from the nextCursor of its previous answer, given as updatedSince");
        }
        if (cursor != null && !cursor.isBlank()) {
            throw ProblemException.badRequest("cursor cannot be combined with updatedSince: give the changes feed's"
                    + " nextCursor as updatedSince");
        }
        String v = vendor == null || vendor.isBlank() ? null : vendor.trim();
        String scope = v == null ? "" : v;
        int rows = QueryParams.integer("limit", limit, ProductListing.DEFAULT_LIMIT, 1, ProductListing.MAX_LIMIT);
        if (updatedSince == null || updatedSince.isBlank()) {
            throw ProblemException.badRequest("updatedSince is empty; give the nextCursor of a previous answer,"
                    + " or an instant such as 2026-12-02T10:00:00Z");
        }
        String raw = updatedSince.trim();
        if (LOOKS_LIKE_INSTANT.matcher(raw).matches()) {
            return new Query(v, rows, ChangeCursor.start(scope, 0), instant(raw));
        }
        ChangeCursor after = ChangeCursor.decode(raw);
        if (!after.scope().equals(scope)) {
            throw ProblemException.badRequest("updatedSince continues the changes of "
                    + (after.scope().isEmpty() ? "every vendor, not of vendor '" + v + "': ask without vendor"
                            : "vendor '" + after.scope() + "', not of " + (v == null ? "every vendor" : "vendor '" + v + "'")
                                    + ": ask with vendor=" + after.scope()));
        }
        return new Query(v, rows, after, "-infinity");
    }

    /** An ISO-8601 instant with its offset, as PostgreSQL's timestamptz reads it. */
    static String instant(String raw) {
        String text = SPACE_FOR_PLUS.matcher(raw).replaceFirst("+$1");
        OffsetDateTime at;
        try {
            at = OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            throw ProblemException.badRequest("updatedSince '" + shortened(raw) + "' is not an instant with its offset,"
                    + " such as 2026-12-02T10:00:00Z or 2026-12-02T11:00:00+01:00");
        }
        // what timestamptz holds comfortably; an earlier instant asks for every change anyway
        if (at.getYear() < 1 || at.getYear() > 9999) {
            throw ProblemException.badRequest("updatedSince '" + shortened(raw) + "' is out of range (years 1 to 9999)");
        }
        return at.withOffsetSameInstant(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static String shortened(String raw) {
        return raw.length() <= 64 ? raw : raw.substring(0, 64) + "…";
    }

    /** The answer to GET /products?updatedSince=, as JSON bytes with their ETag. */
    public RenderedAnswer page(@Header("updatedSince") String updatedSince, @Header("vendor") String vendor,
                               @Header("limit") String limit, @Header("offset") String offset,
                               @Header("cursor") String cursor, org.apache.camel.Message message) {
        // the feed has its own order (oldest change first): a search's filters or sort would be silently ignored
        for (String name : java.util.List.of("q", "inStock", "minPrice", "maxPrice", "sort")) {
            String value = message.getHeader(name, String.class);
            if (value != null && !value.isBlank()) {
                throw ProblemException.badRequest(name + " cannot be combined with updatedSince: the changes feed answers every"
                        + " change in the order it happened (filter on the client, or use the listing)");
            }
        }
        return render(query(updatedSince, vendor, limit, offset, cursor));
    }

    RenderedAnswer render(Query q) {
        MapSqlParameterSource p = new MapSqlParameterSource()
                .addValue("afterXid", Long.toString(q.after().xid()))
                .addValue("afterVendor", q.after().vendor())
                .addValue("afterId", q.after().productId())
                .addValue("vendor", q.vendor() == null ? "" : q.vendor())
                .addValue("since", q.since())
                .addValue("rows", q.limit() + 1); // one more than the page: is there a next one?
        ByteArrayBuilder out = new ByteArrayBuilder(Math.min(q.limit(), 200) * 260 + 64);
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            json.writeFieldName("products");
            json.writeStartArray();
            Next next = jdbc.query(ClasspathText.load("sql/products/changes.sql"), p,
                    (ResultSetExtractor<Next>) rs -> write(rs, json, q));
            json.writeEndArray();
            json.writeNumberField("limit", q.limit());
            json.writeStringField("nextCursor", next.cursor().encode());
            json.writeBooleanField("hasMore", next.more());
            json.writeEndObject();
            json.flush();
            return RenderedAnswer.of(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where the next page starts, and whether it holds changes already (ask again at once) or not yet. */
    private record Next(ChangeCursor cursor, boolean more) {
    }

    /**
     * Writes the page's products and returns where the next page starts: after the last product when another
     * follows, otherwise at the horizon (every change below it was answered), never behind the cursor asked with.
     */
    private static Next write(ResultSet rs, JsonGenerator json, Query q) throws SQLException {
        String scope = q.vendor() == null ? "" : q.vendor();
        long horizon = -1;
        ChangeCursor last = null;
        int n = 0;
        try {
            while (rs.next()) {
                horizon = Long.parseLong(rs.getString("horizon"));
                if (rs.getString("changed_xid") == null) {
                    break; // the LEFT JOIN's one row: no product changed
                }
                if (n == q.limit()) {
                    return new Next(last, true); // a further change exists: continue right after this page
                }
                n++;
                last = new ChangeCursor(scope, Long.parseLong(rs.getString("changed_xid")),
                        rs.getString("vendor"), rs.getString("product_id"));
                json.writeStartObject();
                json.writeStringField("vendor", last.vendor());
                json.writeStringField("id", last.productId());
                json.writeStringField("name", rs.getString("name"));
                json.writeFieldName("price");
                json.writeNumber(rs.getString("price")); // numeric's own text
                json.writeNumberField("stock", rs.getInt("stock"));
                json.writeNumberField("vendorStock", rs.getInt("vendor_stock"));
                json.writeNumberField("reserved", rs.getInt("reserved"));
                json.writeStringField("fetchedAt", Timestamps.isoFromUtcText(rs.getString("fetched_at")));
                json.writeStringField("updatedAt", Timestamps.isoFromUtcText(rs.getString("updated_at")));
                String delisted = rs.getString("delisted_at");
                if (delisted != null) {
                    json.writeStringField("delistedAt", Timestamps.isoFromUtcText(delisted));
                }
                json.writeStringField("changedAt", Timestamps.isoFromUtcText(rs.getString("changed_at")));
                json.writeEndObject();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // every change below the horizon was answered; a cursor already past it (from before) stays where it is
        return new Next(q.after().xid() >= horizon ? q.after() : ChangeCursor.start(scope, horizon), false);
    }
}
