#include "crawler/state/node_state.hpp"

#include <rocksdb/cache.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/utilities/table_properties_collectors.h>
#include <rocksdb/write_batch.h>

#include <cstdint>
#include <string>
#include <system_error>
#include <vector>

#include "crawler/state/rocks_check.hpp"

namespace magnetar::crawler::state {
namespace {

constexpr char kSeenFamily[] = "seen";
constexpr char kDhtFamily[] = "dht";
constexpr char kOutboxFamily[] = "outbox";
constexpr char kPinsFamily[] = "pins";
constexpr char kRetryFamily[] = "retry";
constexpr char kFormatKey[] = "format_version";
// Bumped when a stored encoding changes incompatibly; a newer database is
// refused rather than misread.
constexpr char kFormatVersion[] = "1";
// Bloom filter bits per key for the seen set: about 1% false positives.
constexpr double kSeenBloomBitsPerKey = 10.0;
// The outbox is a queue: its head is deleted as the hub acks. Compact a file
// once 1/4 of a 1,000-entry window is tombstones, so peeks stay cheap.
constexpr std::size_t kOutboxDeletionWindow = 1000;
constexpr std::size_t kOutboxDeletionTrigger = 250;
// The pin cache holds ~20 KB info dicts (100,000 pins: ~2 GB) written once and
// read when a peer asks: small memtables, since RocksDB's default 64 MB (two
// of them while one flushes) would be most of a keeper's memory (bench/pins),
// and the values in blob files, so compactions move 40-byte references
// instead of rewriting the dicts, and a read is one blob read, not a 20 KB
// block through the block cache.
constexpr std::size_t kPinsMemtableBytes = 4u << 20;
constexpr std::uint64_t kPinsMinBlobBytes = 1024;

bool is_lock_error(const rocksdb::Status& s) {
  if (!s.IsIOError()) return false;
  const std::string m = s.ToString();
  // "While lock file: .../LOCK: Resource temporarily unavailable" (another
  // process) or "lock hold by current process" (this one).
  return m.find("lock") != std::string::npos || m.find("LOCK") != std::string::npos;
}

}  // namespace

struct NodeState::Db {
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // in family order below

  ~Db() {
    for (auto* h : handles) {
      if (db && h != nullptr) db->DestroyColumnFamilyHandle(h);
    }
    if (db) db->Close();
  }
};

NodeState::NodeState(NodeStateOptions options) : path_(options.data_dir / kStateSubdir) {
  std::error_code ec;
  std::filesystem::create_directories(path_, ec);
  if (ec) {
    throw StateError("cannot create " + path_.string() + ": " + ec.message());
  }

  auto cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  auto table_options = [&](bool bloom) {
    rocksdb::BlockBasedTableOptions t;
    t.block_cache = cache;
    t.cache_index_and_filter_blocks = true;
    t.pin_l0_filter_and_index_blocks_in_cache = true;
    if (bloom) t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(kSeenBloomBitsPerKey));
    return std::shared_ptr<rocksdb::TableFactory>(rocksdb::NewBlockBasedTableFactory(t));
  };

  rocksdb::ColumnFamilyOptions plain;
  plain.table_factory = table_options(false);
  rocksdb::ColumnFamilyOptions seen = plain;
  // Random 20-byte keys, point lookups only: Bloom filters in the files and
  // in the memtable answer "not seen" without reading data blocks.
  seen.table_factory = table_options(true);
  seen.memtable_whole_key_filtering = true;
  seen.memtable_prefix_bloom_size_ratio = 0.02;
  rocksdb::ColumnFamilyOptions outbox = plain;
  outbox.table_properties_collector_factories.push_back(
      rocksdb::NewCompactOnDeletionCollectorFactory(kOutboxDeletionWindow, kOutboxDeletionTrigger));

  rocksdb::ColumnFamilyOptions pins = plain;
  pins.write_buffer_size = kPinsMemtableBytes;
  pins.enable_blob_files = true;
  pins.min_blob_size = kPinsMinBlobBytes;
  // An unpinned dict's blob is reclaimed when compaction rewrites its file.
  pins.enable_blob_garbage_collection = true;

  const std::vector<rocksdb::ColumnFamilyDescriptor> families = {
      {rocksdb::kDefaultColumnFamilyName, plain},
      {kSeenFamily, seen},
      {kDhtFamily, plain},
      {kOutboxFamily, outbox},
      {kPinsFamily, pins},
      // The seen set's retry index: small, scanned from its start (the
      // earliest retry) and rewritten as retries come due.
      {kRetryFamily, outbox},
  };

  rocksdb::DBOptions db_options;
  db_options.create_if_missing = true;
  db_options.create_missing_column_families = true;
  // Few, small info logs in the data directory.
  db_options.keep_log_file_num = 3;
  db_options.max_log_file_size = 8u << 20;
  // Flush memtables once the WAL reaches this, so restart replays little.
  db_options.max_total_wal_size = 128u << 20;

  db_ = std::make_unique<Db>();
  rocksdb::DB* raw = nullptr;
  const auto s = rocksdb::DB::Open(db_options, path_.string(), families, &db_->handles, &raw);
  if (!s.ok()) {
    if (is_lock_error(s)) throw DataDirInUseError(options.data_dir, s.ToString());
    throw StateError("cannot open the node state in " + path_.string() + ": " + s.ToString());
  }
  db_->db.reset(raw);
  auto& db = *db_->db;
  auto* meta = db_->handles[0];

  std::string format;
  const auto fs = db.Get(rocksdb::ReadOptions(), meta, kFormatKey, &format);
  if (fs.IsNotFound()) {
    rocksdb::WriteOptions wo;
    wo.sync = true;  // once per database
    check(db.Put(wo, meta, kFormatKey, kFormatVersion), "format write");
  } else {
    check(fs, "format read");
    if (format != kFormatVersion) {
      throw StateError("the node state in " + path_.string() + " has format " + format +
                       ", this magnetar reads format " + kFormatVersion);
    }
  }

  seen_ = std::make_unique<SeenSet>(db, db_->handles[1], db_->handles[5], options.retry,
                                    options.seen_cache_entries);
  dht_ = std::make_unique<DhtStore>(db, db_->handles[2]);
  outbox_ = std::make_unique<Outbox>(db, db_->handles[3], meta, options.outbox);
  pins_ = std::make_unique<PinCache>(db, db_->handles[4]);
}

NodeState::~NodeState() {
  // Components first: they hold references into the database.
  seen_.reset();
  outbox_.reset();
  dht_.reset();
  pins_.reset();
  db_.reset();
}

Result<std::uint64_t> NodeState::commit_fetch(const InfoHashV1& id, std::string_view info_dict,
                                              Source source, TimePoint now,
                                              std::span<const InfoHashV1> also) {
  // When the outbox is full, append() writes nothing, the batch with it: the
  // infohash stays unfetched in the seen set as well.
  rocksdb::WriteBatch batch;
  std::vector<std::pair<InfoHashV1, SeenRecord>> records;
  records.emplace_back(id, seen_->stage_attempt(id, FetchOutcome::kOk, now, batch));
  for (const auto& other : also) {
    if (other == id) continue;
    records.emplace_back(other, seen_->stage_attempt(other, FetchOutcome::kOk, now, batch));
  }
  auto seq = outbox_->append(info_dict, source, now, &batch);
  if (seq) {
    for (const auto& [k, r] : records) seen_->remember(k, r);
  }
  return seq;
}

}  // namespace magnetar::crawler::state
