-- Keep-alive pins (issue 8): pinned magnets, the keeper nodes that hold
-- them, and each keeper's counters per pin. Written by the public API
-- (rpc/api/pin_service.cpp: pin, unpin), the hub's keeper service
-- (rpc/hub/pg_pin_store.cpp: heartbeats, counters, resolve timeouts) and the
-- torrent store (indexer/store: a pin turns ALIVE in the batch that stores
-- its info dict).
--
-- state: 1 RESOLVING (info dict not known yet), 2 ALIVE (stored in
-- torrent_info_dicts), 3 FAILED (failure_reason says why); the values of
-- magnetar.v1.PinState. revision grows on every change a keeper must hear
-- of (trackers, web seeds, peers, state): the hub compares it with what it
-- sent to each keeper.

CREATE TABLE pins (
  created_at       timestamptz NOT NULL DEFAULT now(),
  state_changed_at timestamptz NOT NULL DEFAULT now(),  -- RESOLVING since, for the timeout
  resolved_at      timestamptz,
  revision         bigint      NOT NULL DEFAULT 1,
  state            smallint    NOT NULL,
  id               bytea       NOT NULL,  -- 20 bytes, as torrents.id
  v2               bytea,                 -- 32 bytes when the magnet had a btmh
  dn               text,                  -- the magnet's dn, sanitized; the name while resolving
  label            text        NOT NULL DEFAULT '',
  trackers         text[]      NOT NULL DEFAULT '{}',
  web_seeds        text[]      NOT NULL DEFAULT '{}',
  peers            text[]      NOT NULL DEFAULT '{}',  -- x.pe, host:port
  failure_reason   text,
  CONSTRAINT pins_pkey PRIMARY KEY (id)
);
-- ListPins: newest first, all states or one, keyset pages on (created_at, id).
CREATE INDEX pins_created_idx ON pins (created_at DESC, id DESC);
CREATE INDEX pins_state_created_idx ON pins (state, created_at DESC, id DESC);

-- Keeper nodes, one row each, kept by their Keep streams: the hub treats a
-- node as live while last_heartbeat is within 3 heartbeat intervals, and
-- spreads pins over the live ones (rendezvous hashing).
CREATE TABLE keepers (
  first_seen       timestamptz NOT NULL DEFAULT now(),
  last_heartbeat   timestamptz NOT NULL,
  peer_port        integer     NOT NULL,
  node_id          text        NOT NULL,
  announce_address text        NOT NULL,
  CONSTRAINT keepers_pkey PRIMARY KEY (node_id)
);

-- A keeper's latest counters for one pin (since the node started, as it
-- reports them); GetPin sums and maxes them over the pin's rows.
CREATE TABLE pin_keepers (
  updated_at            timestamptz NOT NULL DEFAULT now(),
  last_dht_announce     timestamptz,
  last_tracker_announce timestamptz,
  metadata_served       bigint      NOT NULL DEFAULT 0,
  incoming_connections  bigint      NOT NULL DEFAULT 0,
  pin_id                bytea       NOT NULL,
  node_id               text        NOT NULL,
  resolve_error         text        NOT NULL DEFAULT '',
  CONSTRAINT pin_keepers_pkey PRIMARY KEY (pin_id, node_id)
);
