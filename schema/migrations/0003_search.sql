-- Search (indexer/search, issue 7). See indexer/search/README.md for how the
-- engine uses these and why no query ranks or counts an unbounded match set.
--
-- One precomputed tsvector per torrent holds both the words of its name and
-- its facets, so that every filter but the two ranges is a GIN-indexed lexeme
-- and one estimate (the planner's, from the column's lexeme statistics) covers
-- words and filters alike:
--   words   the name split on ._-[]() and the like (pitfalls.md: the default
--           parser turns The.Matrix.1999 into one host token), accents folded
--           by `unaccent`, case folded by `simple`; with positions, for phrases
--   facets  ~t<content type> ~y<year> ~r<resolution> ~s<season> ~e<episode>
--           ~x<file extension>: '~' is a separator to the parser, so no word
--           of a name or a query can ever equal a facet lexeme.
-- The ranges (size, first seen) and the sorts use b-trees on (key, id), so
-- that keyset pages are stable among equal keys, and on (type, key, id).

CREATE EXTENSION IF NOT EXISTS unaccent;

CREATE TEXT SEARCH CONFIGURATION magnetar (COPY = pg_catalog.simple);
ALTER TEXT SEARCH CONFIGURATION magnetar
  ALTER MAPPING FOR word, hword, hword_part, numword, numhword, hword_numpart
  WITH unaccent, simple;

-- The text the parser sees: separators of release names turned into spaces.
-- The same function prepares the words of a query, so both sides split alike.
CREATE FUNCTION magnetar_search_text(name text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  RETURN translate(name, '._-[](){}/\+@:~|,;!?#&*"', '                        ');

CREATE FUNCTION magnetar_facets(content_type smallint, year smallint, resolution smallint,
                                season smallint, episode smallint, extensions text[])
  RETURNS tsvector
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  RETURN array_to_tsvector(
    array_remove(ARRAY['~t' || content_type, '~y' || year, '~r' || resolution,
                       '~s' || season, '~e' || episode], NULL)
    || coalesce((SELECT array_agg('~x' || e) FROM unnest(extensions) e WHERE e <> ''),
                '{}'::text[]));

-- Generated: the store's upsert and the reclassifier's updates keep it current.
ALTER TABLE torrents ADD COLUMN search tsvector GENERATED ALWAYS AS (
  to_tsvector('public.magnetar'::regconfig, magnetar_search_text(name))
  || magnetar_facets(content_type, year, resolution, season, episode, extensions)) STORED;

CREATE INDEX torrents_search_idx ON torrents USING gin (search);
CREATE INDEX torrents_first_seen_idx ON torrents (first_seen, id);
CREATE INDEX torrents_size_idx ON torrents (total_size, id);
-- The same per content type: a walk filtered by one type reads only that
-- type's rows in key order (ebooks by size, without passing every video).
CREATE INDEX torrents_type_first_seen_idx ON torrents (content_type, first_seen, id);
CREATE INDEX torrents_type_size_idx ON torrents (content_type, total_size, id);
-- The extension filter is a facet lexeme now: this index would only cost space.
DROP INDEX torrents_extensions_idx;

-- Exact counts per content type for Stats, without counting the table: kept
-- by statement-level triggers over each statement's transition tables (one
-- small grouped update per ingest batch, rows locked in content-type order).
CREATE TABLE torrent_counts (
  content_type smallint NOT NULL,
  count        bigint   NOT NULL,
  CONSTRAINT torrent_counts_pkey PRIMARY KEY (content_type)
);
INSERT INTO torrent_counts
  SELECT content_type, count(*) FROM torrents GROUP BY content_type;

CREATE FUNCTION magnetar_count_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO torrent_counts AS c
    SELECT content_type, count(*) FROM new_rows GROUP BY content_type ORDER BY content_type
    ON CONFLICT (content_type) DO UPDATE SET count = c.count + excluded.count;
  RETURN NULL;
END $$;

CREATE FUNCTION magnetar_count_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE torrent_counts c SET count = c.count - d.n
    FROM (SELECT content_type, count(*) AS n FROM old_rows GROUP BY content_type) d
    WHERE c.content_type = d.content_type;
  RETURN NULL;
END $$;

CREATE FUNCTION magnetar_count_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO torrent_counts AS c
    SELECT content_type, sum(d) FROM (
      SELECT content_type, 1 AS d FROM new_rows
      UNION ALL SELECT content_type, -1 FROM old_rows) x
    GROUP BY content_type HAVING sum(d) <> 0 ORDER BY content_type
    ON CONFLICT (content_type) DO UPDATE SET count = c.count + excluded.count;
  RETURN NULL;
END $$;

CREATE TRIGGER torrents_count_inserted AFTER INSERT ON torrents
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION magnetar_count_inserted();
CREATE TRIGGER torrents_count_deleted AFTER DELETE ON torrents
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION magnetar_count_deleted();
-- (PostgreSQL allows no column list beside transition tables: every update
-- fires it, and a batch whose types did not change writes nothing.)
CREATE TRIGGER torrents_count_updated AFTER UPDATE ON torrents
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION magnetar_count_updated();
