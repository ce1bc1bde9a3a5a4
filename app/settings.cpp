#include "app/settings.hpp"

namespace magnetar::app {

std::vector<Setting> all_settings() {
  return {
      {"data_dir", "./var", "directory for magnetar's state (embedded PostgreSQL, RocksDB)"},
      {"log.level", "info", "trace, debug, info, warn, error, critical or off"},
      {"db.dsn", "",
       "PostgreSQL connection string (libpq format); empty: an embedded cluster in data_dir"},
      {"db.pg_bin", "/usr/lib/postgresql/15/bin",
       "PostgreSQL 15 programs (initdb, pg_ctl, postgres) for the embedded cluster"},
      {"db.embedded_user", "postgres",
       "account that runs the embedded cluster when magnetar runs as root"},
      {"db.embedded_settings", "",
       "extra postgresql.conf settings of the embedded cluster, name=value, comma-separated"},
      {"hub.listen", "127.0.0.1:7881",
       "address:port of the hub's internal gRPC service (crawler nodes); port 0 picks one"},
      {"hub.token", "",
       "cluster token crawler nodes present; empty: generated once into data_dir/cluster-token"},
      {"api.listen", "127.0.0.1:7880",
       "address:port of the public gRPC API (search, pins, stats); the CLI connects here"},
      {"api.token", "",
       "bearer token of the API's mutating calls; empty: generated once into data_dir/api-token"},
      {"api.public_reads", "true", "allow search and other read-only calls without the token"},
      {"api.tls_cert", "", "PEM certificate of the API server: TLS when set with api.tls_key"},
      {"api.tls_key", "", "PEM private key of the API server"},
      {"api.tls_ca", "", "CLI: PEM certificate(s) to trust when the API serves TLS"},
      {"pins.replication", "2", "keeper nodes that keep each pin (rendezvous hashing)"},
      {"pins.resolve_timeout", "3600",
       "seconds a pin may stay RESOLVING (nobody delivered its metadata) before it is FAILED"},
      {"keeper.heartbeat_interval", "30",
       "seconds between a keeper node's heartbeats; the hub counts it dead after 3 missed"},
      {"keeper.enabled", "true",
       "crawl nodes keep pins assigned by the hub: serve their metadata, announce them"},
      {"keeper.announce_address", "",
       "the address peers reach this keeper at, told to the hub and trackers (empty: the "
       "address trackers see)"},
      {"keeper.peer_port", "6882",
       "TCP port serving pinned metadata to peers and announced for pins (0: a free port; a "
       "taken port falls back to a free one with a warning)"},
      {"keeper.announce_budget", "60",
       "DHT announces per second at most; every pin is re-announced about every 30 minutes, so "
       "60 keeps up to 108,000 pins announced (a cap: fewer pins announce less)"},
      {"keeper.upnp", "false",
       "map the DHT and keeper ports on the router with UPnP/NAT-PMP (through libtorrent)"},
      {"store.raw_info", "pinned",
       "which raw info dicts to keep: pinned, all (about 20 kB per torrent) or none"},
      {"store.max_files", "1000", "file paths stored per torrent (the true count is kept)"},
      {"classify.rules", "", "extra classifier rules files (TOML), comma-separated"},
      {"classify.banned", "", "extra banned-content rules files (TOML), comma-separated"},
      {"crawler.enabled", "true",
       "magnetar up: run a crawler node in-process against the local hub"},
      {"crawler.hub", "127.0.0.1:7881", "magnetar crawl: the hub's gRPC address, host:port"},
      {"crawler.token", "", "magnetar crawl: the cluster token (the hub's data_dir/cluster-token)"},
      {"crawler.listen", "0.0.0.0:6881,[::]:6881",
       "DHT listen interfaces: literal IP:port, comma-separated (a device name gives no DHT)"},
      {"crawler.routers",
       "router.bittorrent.com:6881,router.utorrent.com:6881,dht.transmissionbt.com:6881,"
       "dht.libtorrent.org:25401",
       "DHT routers to bootstrap from, host:port, comma-separated"},
      {"crawler.bootstrap", "",
       "extra DHT nodes to start from, host:port, comma-separated (the saved table is used too)"},
      {"crawler.node_id", "",
       "this node's name at the hub (reports, keeper assignments); empty: the host name. Two "
       "nodes on one host need different names"},
      {"crawler.bandwidth", "0",
       "bytes per second for DHT and peer-wire traffic together (a quarter to the DHT); 0: no cap"},
      {"crawler.concurrency", "128",
       "metadata fetches in flight; every other queue of the crawler is sized from it"},
      {"crawler.encryption", "prefer_plaintext",
       "peer-wire encryption (MSE): prefer_plaintext, prefer_encrypted or require"},
      {"crawler.retry_delay", "900",
       "seconds before a failed fetch is tried again; doubled after each failure (7 tries)"},
      {"crawler.report_interval", "30",
       "seconds between reports of the crawler's counters to the hub (its Stats)"},
      {"crawler.testnet", "false",
       "crawl a loopback/private test network (magnetar-testnet): accept 127.x and private "
       "DHT nodes and peers, lift the DHT's one-node-per-/24 rule and flood blocker; never on "
       "the real DHT"},
  };
}

}  // namespace magnetar::app
