// TorrentStore: where the indexer pipeline writes torrents, and what the
// crawler's Triage asks before fetching. An I/O seam (STYLE.md): the real
// implementation is PgTorrentStore.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <stdexcept>
#include <string_view>
#include <vector>

#include "common/infohash.hpp"
#include "indexer/store/torrent_record.hpp"

namespace magnetar::indexer::store {

// What the store knows of an infohash (20-byte id: v1 or truncated v2).
enum class Triage : std::uint8_t {
  kNew = 0,      // neither stored nor blocked: worth fetching
  kKnown = 1,    // stored
  kBlocked = 2,  // on the block list: never fetch, never store
};

enum class SubmitResult : std::uint8_t {
  kAccepted = 0,
  kFull = 1,    // try_submit only: the queue is at capacity, nothing was taken
  kClosed = 2,  // close() was called: nothing was taken
};

// Called once, on one of the store's writer threads (acks of different
// submissions may run concurrently), after every record of one submission is
// committed (COMMIT returned; blocked ones were skipped). Must be quick and
// must not call submit().
using AckFn = std::function<void()>;

// Infrastructure failures (PostgreSQL unreachable for a synchronous call).
class StoreError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

class TorrentStore {
 public:
  virtual ~TorrentStore() = default;

  // Queues records for writing; blocks while the queue is at capacity
  // (backpressure). Replaying a stored infohash only moves its last-seen time.
  virtual SubmitResult submit(std::vector<TorrentRecord> records, AckFn on_committed) = 0;
  // As submit, but returns kFull instead of blocking (records left untouched).
  virtual SubmitResult try_submit(std::vector<TorrentRecord>&& records, AckFn on_committed) = 0;
  // Waits until everything submitted before the call is committed (or the
  // store gave up on it at close).
  virtual void flush() = 0;

  // One answer per id, in order. Throws StoreError.
  virtual std::vector<Triage> triage(std::span<const InfoHashV1> ids) = 0;
  // Adds id to the block list and deletes whatever is stored under it; no
  // write in flight can store it afterwards. Throws StoreError.
  virtual void block(const InfoHashV1& id, std::string_view reason) = 0;
  // Deletes a stored torrent (files, raw info dict, tags). Throws StoreError.
  virtual void remove(const InfoHashV1& id) = 0;
};

}  // namespace magnetar::indexer::store
