-- Crawler nodes' counters (issue 6): one row per node, replaced by each of its
-- reports (rpc/proto/magnetar/v1/hub.proto, Hub.Report; every 30 s and at
-- shutdown), read by the hub's Stats to show crawl rates.
--
-- The hub writes a row in one upsert (rpc/hub/pg_node_report_store.cpp):
-- counters and gauges as reported, last_report = the hub's clock at receipt,
-- and rates computed from the row it replaces when that row is of the same
-- run (same started_at): (counter now - counter before) / seconds between the
-- two reports. A node's first report, and the first after a restart, give {}.
-- Reports older than the row (a late retry) leave it alone.
--
-- One row per node whatever its age: a few hundred bytes each, no history
-- (metrics over time belong to a metrics system, not to this table).

CREATE TABLE crawler_nodes (
  node_id      text        NOT NULL,
  started_at   timestamptz NOT NULL,
  first_report timestamptz NOT NULL,
  last_report  timestamptz NOT NULL,
  counters     jsonb       NOT NULL,  -- cumulative since started_at: name -> count
  gauges       jsonb       NOT NULL,  -- name -> value at last_report
  rates        jsonb       NOT NULL,  -- name -> per second between the last two reports
                                      -- ({} after a node's first report or a restart)
  CONSTRAINT crawler_nodes_pkey PRIMARY KEY (node_id)
);
