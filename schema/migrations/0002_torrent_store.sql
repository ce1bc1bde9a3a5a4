-- The torrent store (indexer/store, issue 5): torrents, their file lists, raw
-- info dicts, tags and the block list. See indexer/store/README.md.
--
-- Budget: under 3 kB per torrent on disk for the benchmark corpus, counting
-- every relation and index here except torrent_info_dicts. Hence: no per-file
-- rows, one compact bytea per file list, no foreign keys (each would cost an
-- index probe per insert; indexer/store deletes from every table itself),
-- fixed-width columns first and widest first (no alignment padding), and the
-- original bytes of a name only where they differ from its text.
--
-- A torrent's id is its 20-byte DHT id: the v1 infohash, or the truncated v2
-- infohash of a v2-only torrent (BEP 52). `v2` keeps the full v2 infohash of
-- v2-only and hybrid torrents (for magnets and lookups by v2; a hybrid's v1
-- and v2 are unrelated, so a lookup by v2 of a hybrid scans: rare, no index).

CREATE TABLE torrents (
  first_seen   timestamptz NOT NULL,
  last_seen    timestamptz NOT NULL,
  total_size   bigint      NOT NULL,  -- content bytes, pad files excluded
  file_count   integer     NOT NULL,  -- the true count, also when the list is cut
  piece_length integer     NOT NULL,  -- bytes, clamped to 2^31-1
  source       smallint    NOT NULL,  -- indexer/store Source: 1 dht_sample, 2 dht_announce,
                                      -- 3 dht_get_peers, 4 pin, 5 import, 0 unknown
  content_type smallint    NOT NULL DEFAULT 0,  -- indexer/classify ContentType, 0 unknown
  year         smallint,
  season       smallint,
  episode      smallint,
  resolution   smallint,              -- vertical lines (480, 720, 1080, 2160)
  private      boolean     NOT NULL,  -- BEP 27
  id           bytea       NOT NULL,  -- 20 bytes: v1, or truncated v2 for v2-only
  v2           bytea,                 -- 32 bytes: the v2 infohash (v2-only and hybrid)
  name         text        NOT NULL,  -- valid UTF-8 by the rule of text_sanitizer.hpp
  name_raw     bytea,                 -- the original name bytes, only where they differ
  title        text,                  -- classifier's title, sanitized likewise
  extensions   text[],                -- distinct lower-case file extensions (at most 32)
  CONSTRAINT torrents_pkey PRIMARY KEY (id)
);
-- Serves the file-extension filter (`extensions && ARRAY['mkv']`). GIN posting
-- lists are compressed: a few bytes per torrent.
CREATE INDEX torrents_extensions_idx ON torrents USING gin (extensions);

-- The file list of a multi-file torrent in the encoding of
-- indexer/store/file_list_codec.hpp (front-coded raw path components and
-- varint sizes), cut at the store's max_stored_files setting (default 1,000;
-- torrents.file_count keeps the true count). No row for single-file torrents:
-- their one file is the torrent's name.
CREATE TABLE torrent_files (
  torrent_id bytea NOT NULL,
  files      bytea NOT NULL,
  CONSTRAINT torrent_files_pkey PRIMARY KEY (torrent_id)
);
-- lz4 compresses the repeated words of sibling file names (lists over ~2 kB;
-- smaller ones stay inline uncompressed) at a fraction of pglz's CPU cost.
-- MAIN keeps a compressed list in the heap row while it fits in a page: no
-- TOAST chunk rows and index entries for the long lists.
ALTER TABLE torrent_files ALTER COLUMN files SET COMPRESSION lz4;
ALTER TABLE torrent_files ALTER COLUMN files SET STORAGE MAIN;

-- Raw info dicts, kept by the store's raw_info_policy: `pinned` (default: only
-- pinned torrents, which keepers must serve), `all` or `none`. `all` costs
-- about 20 kB per torrent (the piece hashes dominate an info dict: 20 bytes
-- per piece), i.e. ~20 GB per million torrents. The bytes are incompressible
-- hashes, so they are stored without compression attempts.
CREATE TABLE torrent_info_dicts (
  torrent_id bytea       NOT NULL,
  stored_at  timestamptz NOT NULL DEFAULT now(),
  info       bytea       NOT NULL,  -- the exact bencoded info dict
  CONSTRAINT torrent_info_dicts_pkey PRIMARY KEY (torrent_id)
);
ALTER TABLE torrent_info_dicts ALTER COLUMN info SET STORAGE EXTERNAL;

-- User tags.
CREATE TABLE torrent_tags (
  torrent_id bytea       NOT NULL,
  tag        text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT torrent_tags_pkey PRIMARY KEY (torrent_id, tag)
);
CREATE INDEX torrent_tags_tag_idx ON torrent_tags (tag, torrent_id);

-- Infohashes never to be fetched or stored again (banned content, removals on
-- request). The store's insert checks this table in the same statement.
CREATE TABLE blocked_infohashes (
  blocked_at timestamptz NOT NULL DEFAULT now(),
  id         bytea       NOT NULL,  -- 20-byte id, as torrents.id
  reason     text        NOT NULL,
  CONSTRAINT blocked_infohashes_pkey PRIMARY KEY (id)
);
