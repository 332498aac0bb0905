-- GET /products?q=&sort=price (issue 26): a name search that ignores case and accents, and a price order,
-- both served by an index on 200,000 products.
-- pg_trgm and unaccent ship with PostgreSQL (contrib) and are trusted extensions: the database owner may create them.
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS unaccent;

-- unaccent() is only STABLE (its dictionary could be changed), so it cannot be indexed itself: this wrapper
-- names the dictionary and is declared IMMUTABLE, as the unaccent documentation suggests. Schema-qualified so that
-- neither the index nor a restore depends on search_path. The search (search.sql) calls the same function on q.
CREATE FUNCTION product_search_text(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$;

-- name contains q: LIKE '%…%' on the trigrams. GIN, not GiST: faster to read, and names change rarely (a poll
-- that rewrites the same name leaves the index alone and the update stays HOT).
CREATE INDEX products_name_search ON products USING gin (product_search_text(name) gin_trgm_ops);

-- sort=price and sort=-price (read backwards), as a keyset: the same tie-break as the default listing. Not an
-- index on updated_at for sort=-updatedAt: every poll rewrites updated_at, and an index on it would make
-- every one of those updates a non-HOT one (a new index entry per product per poll).
CREATE INDEX products_by_price ON products (price, vendor, length(product_id), product_id);
