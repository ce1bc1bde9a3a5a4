// The pins' rows in PostgreSQL (schema/migrations/0005_pins.sql): every
// statement the public Pins API (rpc/api/pin_service.cpp) and the hub's
// Keeper service (keeper_service.cpp) run on them, as functions over a
// connection the caller owns (the API leases one from its pool, the keeper
// service has its own). Infrastructure failures throw pqxx's exceptions.
//
// Times are microseconds since the Unix epoch (PostgreSQL's resolution);
// 0 means none.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "common/infohash.hpp"

namespace pqxx {
class connection_base;
}

namespace magnetar::rpc::pin_store {

// As magnetar.v1.PinState and pins.state: never renumber.
enum class PinState : std::int16_t {
  kResolving = 1,
  kAlive = 2,
  kFailed = 3,
};

// Text limits of a pin (the request is untrusted): far above real values.
inline constexpr std::size_t kMaxLabelBytes = 200;  // pins.proto
inline constexpr std::size_t kMaxNameBytes = 1024;  // a magnet's dn
inline constexpr std::size_t kMaxUrlBytes = 2048;   // a tracker or web seed URL
// Trackers, web seeds and peers each: real magnets carry a few dozen at most.
inline constexpr std::size_t kMaxUrlsPerPin = 200;
inline constexpr std::size_t kMaxResolveErrorBytes = 512;

struct NewPin {
  InfoHashV1 id;
  std::optional<InfoHashV2> v2;
  std::string name;  // the magnet's dn, sanitized
  std::string label;
  std::vector<std::string> trackers, web_seeds, peers;  // validated
};

struct PinRow {
  InfoHashV1 id;
  std::optional<InfoHashV2> v2;  // the magnet's, or the indexed torrent's
  std::string name;              // the indexed torrent's name, else the dn
  std::string dn;
  std::string label;
  PinState state = PinState::kResolving;
  std::string failure_reason;
  std::int64_t created_us = 0, resolved_us = 0;
  std::int64_t last_dht_announce_us = 0, last_tracker_announce_us = 0;  // max over keepers
  std::int64_t metadata_served = 0, incoming_connections = 0;           // sums over keepers
  std::vector<std::string> trackers, web_seeds, peers;
};

enum class UpsertOutcome : std::uint8_t { kCreated, kUpdated, kBlocked };

// Creates the pin (ALIVE at once when its info dict is stored, else
// RESOLVING) or merges into the existing one: a non-empty label replaces
// the old, new trackers/web seeds/peers are appended, a FAILED pin is tried
// again. A blocked infohash is refused.
UpsertOutcome upsert_pin(pqxx::connection_base& c, const NewPin& pin);
std::optional<PinRow> read_pin(pqxx::connection_base& c, const InfoHashV1& id);
// Deletes the pin and its keepers' counters; also its raw info dict when
// drop_info_dict (store.raw_info = pinned: it was kept for the pin). Whether
// it existed.
bool delete_pin(pqxx::connection_base& c, const InfoHashV1& id, bool drop_info_dict);

// Keyset position in ListPins' order (created_at desc, id desc).
struct PinCursor {
  std::int64_t created_us = 0;
  InfoHashV1 id;
};
struct PinPage {
  std::vector<PinRow> pins;
  std::optional<PinCursor> next;  // set when more rows follow
  std::int64_t total = 0;
};
PinPage list_pins(pqxx::connection_base& c, std::optional<PinState> state, std::size_t page_size,
                  const std::optional<PinCursor>& after);

// Keepers whose last heartbeat is within `window` of the database's clock.
std::vector<std::string> live_keepers(pqxx::connection_base& c, std::chrono::milliseconds window);

// Keepers listed by read_pin_totals: far above any real cluster (a node is a
// host or a process), and it keeps a Stats response (~100 bytes per keeper)
// far below the API's response cap whatever the table holds.
inline constexpr std::size_t kMaxListedKeepers = 10'000;

// One keeper's row and its counters summed over its pin_keepers rows (each
// the node's latest report for one pin, counted since the node started).
struct KeeperTotals {
  std::string node_id;
  std::string announce_address;
  std::uint32_t peer_port = 0;
  std::int64_t last_heartbeat_us = 0;
  bool live = false;      // last heartbeat within the live window
  std::int64_t pins = 0;  // its pin_keepers rows
  std::int64_t incoming_connections = 0, metadata_served = 0;
};
struct PinTotals {
  std::int64_t total = 0, resolving = 0, alive = 0, failed = 0;
  std::vector<KeeperTotals> keepers;  // by node_id, at most kMaxListedKeepers
};
// For Stats: pins by state, and every keeper (live while its last heartbeat
// is within `live_window` of the database's clock, as live_keepers) with its
// counters. One scan of pins and one of pin_keepers.
PinTotals read_pin_totals(pqxx::connection_base& c, std::chrono::milliseconds live_window);

// --- the keeper service's statements ---

// A keeper's hello: its row, heartbeat now.
void record_hello(pqxx::connection_base& c, const std::string& node_id,
                  const std::string& announce_address, std::uint32_t peer_port);

struct PinCounters {
  InfoHashV1 id;
  std::int64_t last_dht_announce_us = 0, last_tracker_announce_us = 0;
  std::uint64_t metadata_served = 0, incoming_connections = 0;
  std::string resolve_error;  // sanitized, cut to kMaxResolveErrorBytes
};
// A heartbeat: last_heartbeat = now, and the counters of pins that exist
// (unpinned ones are ignored).
void record_heartbeat(pqxx::connection_base& c, const std::string& node_id,
                      std::span<const PinCounters> counters);

struct PinEntry {
  InfoHashV1 id;
  PinState state;
  std::int64_t revision = 0;
};
// Every pin, any state: one indexed scan of ~40 bytes per pin.
std::vector<PinEntry> load_pins(pqxx::connection_base& c);

struct AssignmentRow {
  InfoHashV1 id;
  std::optional<InfoHashV2> v2;
  bool resolving = false;
  std::size_t info_size = 0;  // bytes of the stored info dict of an ALIVE pin
  std::vector<std::string> trackers, web_seeds, peers;
  std::string name;  // the magnet's dn
  std::int64_t revision = 0;
};
// What a keeper needs for each id that is a pin (unpinned ids are left
// out), without the info dicts (load_info_dicts). A pin marked ALIVE whose
// info dict is missing (deleted by hand) comes back resolving, so the
// keeper fetches it again.
std::vector<AssignmentRow> load_assignments(pqxx::connection_base& c,
                                            std::span<const InfoHashV1> ids);
// The stored info dicts of these ids (those that have one).
std::vector<std::pair<InfoHashV1, std::string>> load_info_dicts(pqxx::connection_base& c,
                                                                std::span<const InfoHashV1> ids);

// RESOLVING pins older than `timeout` become FAILED with the reason "no
// peer delivered the metadata within N s" and the last keeper's resolve
// error, if any. How many.
std::size_t fail_overdue(pqxx::connection_base& c, std::chrono::seconds timeout);

}  // namespace magnetar::rpc::pin_store
