// CrawlNode: one crawler node wired together (DESIGN.md, crawler data flow).
//
//   DHT discovery (samples, announces, lookups through us)
//     -> in-memory dedupe of recent repeats
//     -> batches (by size or age)
//     -> seen set (RocksDB): skip what was fetched, given up, or waits for a retry
//     -> hub Triage: skip what is known or blocked (recorded, never asked again)
//     -> new ids: get_peers lookup; candidates = the announcing peer, if any,
//        plus the lookup's peers -> metadata fetch (verified against the id)
//     -> ok: outbox + seen set in one write (a hybrid's two ids both marked);
//        failure: recorded with its reason and a retry time (backoff)
//   Failures whose retry time has come are taken from the seen set's retry
//   index every kRetryScanInterval and go through hub Triage again.
//   OutboxShipper drains the outbox into the hub's Ingest stream meanwhile.
//
// Threads: one network thread runs the io_context of the DHT crawler and
// the metadata fetcher. RocksDB and gRPC calls block, so they run on one
// worker thread behind a bounded queue, never on the network thread; the
// shipper has its own threads. Every queue between stages is bounded, all
// bounds derived from one setting, `concurrency` (fetches in flight). What
// does not fit is dropped before it costs anything (the DHT offers more
// than a node can fetch) and forgotten by the DHT side's dedupe, so it is
// taken when the DHT offers it again; a full outbox stops the fetching
// until the hub takes items again.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "crawler/dht/dht_crawler.hpp"
#include "crawler/dht/dht_session.hpp"
#include "crawler/keeper/keeper_node.hpp"
#include "crawler/pipeline/crawl_counters.hpp"
#include "crawler/ship/hub_client.hpp"
#include "crawler/ship/outbox_shipper.hpp"
#include "crawler/state/node_state.hpp"
#include "crawler/wire/metadata_fetcher.hpp"

namespace magnetar::crawler::pipeline {

// Fetches in flight by default: each holds up to kConnectionsPerFetch
// sockets, so 128 fetches stay far below the fetcher's connection cap while
// keeping a home connection busy.
inline constexpr std::size_t kDefaultConcurrency = 128;
// A triage batch waits at most this long to fill: a round trip to the hub
// per few hundred milliseconds costs nothing, and the delay is small next
// to a fetch (seconds).
inline constexpr std::chrono::milliseconds kDefaultBatchDelay{250};
// Infohashes remembered to drop repeats before they reach RocksDB (the
// seen set is the real filter): 32 bytes each with the set's overhead, ~20 MB.
inline constexpr std::size_t kDefaultRecentCapacity = 1u << 18;
// How often the DHT state (node id, routing table) is saved, besides at stop.
inline constexpr std::chrono::minutes kDhtStateSaveInterval{10};
// How often the node looks for failures whose retry time has come.
inline constexpr std::chrono::seconds kRetryScanInterval{1};
// A retry taken from the seen set is not handed out again for this long: far
// more than a lookup and a fetch take, so it comes back only when the node
// died (or dropped it) before recording the attempt.
inline constexpr std::chrono::minutes kRetryLease{10};
// How often the node reports its counters to the hub (Hub.Report), besides
// at stop: the hub's Stats shows rates over this period, and one small call
// per node per 30 s costs the hub nothing.
inline constexpr std::chrono::milliseconds kReportInterval{30'000};
// The report at stop waits this long at most: a hub that is down must not
// hold up a node's shutdown by the full call deadline.
inline constexpr std::chrono::milliseconds kFinalReportDeadline{2'000};

// The bounds derived from `concurrency` (C fetches in flight).
struct PipelineBounds {
  std::size_t fetches_in_flight;  // C: from the lookup to the commit
  std::size_t fetch_queue;        // 64C new ids waiting for a slot (~80 bytes each)
  // Discovery comes in bursts far above the fetch rate (a sample reply
  // holds ~20 ids): triage takes big batches, one round trip each.
  std::size_t triage_batch;       // 8C ids per seen-set + Triage round (<= kMaxTriageBatch)
  std::size_t triage_backlog;     // 64C ids queued for triage on the worker
  std::size_t lookups_in_flight;  // C/2 in [8, 64]: hundreds overflow UDP buffers
  std::size_t retries_per_scan;   // C (at most a triage batch) per kRetryScanInterval
};
PipelineBounds bounds_for(std::size_t concurrency);

struct CrawlNodeOptions {
  dht::DhtSessionConfig session;
  dht::DhtCrawlerConfig dht;
  wire::MetadataFetcherConfig fetcher;
  state::NodeStateOptions state;  // data_dir must be set
  ship::HubClientOptions hub;     // address and token must be set
  ship::ShipperOptions shipper;
  std::size_t concurrency = kDefaultConcurrency;
  std::chrono::milliseconds batch_delay = kDefaultBatchDelay;
  std::size_t recent_capacity = kDefaultRecentCapacity;
  // Counters to the hub every report_interval (NodeReport.node_id is
  // shipper.node_id); zero: no reports.
  std::chrono::milliseconds report_interval = kReportInterval;
  std::chrono::seconds retry_lease = kRetryLease;
  // Keep-alive pins (crawler/keeper): set to run a KeeperNode on the node's
  // network thread and DHT session. Its node_id, hub_address and token are
  // filled from shipper.node_id and hub when empty.
  std::optional<keeper::KeeperNodeOptions> keeper;
};

class CrawlNode {
 public:
  // Opens the node's RocksDB (throws state::DataDirInUseError when another
  // process uses the data directory) and the hub's channel (lazily
  // connected). Nothing runs before start().
  explicit CrawlNode(CrawlNodeOptions options);
  ~CrawlNode();  // stop()
  CrawlNode(const CrawlNode&) = delete;
  CrawlNode& operator=(const CrawlNode&) = delete;

  // Starts the DHT session (throws std::runtime_error when libtorrent
  // cannot listen), the network and worker threads and the shipper.
  void start();
  // Stops discovering and fetching, commits the info dicts already fetched,
  // saves the DHT snapshot (node id, routing table, sampling schedule; also
  // saved every kDhtStateSaveInterval), stops the shipper (what was not
  // acked stays in the outbox for the next run) and sends a last report of
  // the counters to the hub. Idempotent.
  void stop();

  // Thread-safe snapshot (network-thread figures are at most ~100 ms old).
  CrawlCounters counters() const;
  state::NodeState& state();
  // The DHT's UDP port (0 before start()).
  std::uint16_t dht_port() const;
  const PipelineBounds& bounds() const;
  // The keeper (null unless options.keeper was set and start() ran).
  keeper::KeeperNode* keeper();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace magnetar::crawler::pipeline
