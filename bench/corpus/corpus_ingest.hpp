// The synthetic corpus pushed through the real writer (PgTorrentStore: bounded
// queue, COPY + upsert batches, acks after COMMIT), as bench/ingest measures
// it and bench/search builds its database: records generated on a thread of
// their own (CorpusChunkSource), submitted a chunk at a time.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "indexer/store/pg_torrent_store.hpp"

namespace magnetar::bench {

struct CorpusIngestOptions {
  std::string dsn;  // a database with the schema migrated
  std::uint64_t seed = 0;
  std::uint64_t first = 0;  // records [first, first + count) of the corpus
  std::uint64_t count = 0;
  std::size_t writer_threads = indexer::store::kDefaultWriterThreads;
  // Seconds between progress lines on stderr (a 10M corpus takes an hour).
  double progress_seconds = 10;
};

struct CorpusIngest {
  double seconds = 0;        // first submit to the last ack
  std::uint64_t acked = 0;   // records acknowledged by the store
  std::uint64_t files = 0;   // sum of the records' file counts
  double generator_cpu = 0;  // corpus generation (not part of the writer)
  double process_cpu = 0;    // this process, generator included
  double backend_cpu = 0;    // the writers' PostgreSQL backends (0 if not local)
  indexer::store::PgTorrentStoreStats stats;
};

// Upserts: records already in the database are left as they are. Whether
// every record was acknowledged (acked == count) is the caller's to check.
CorpusIngest ingest_corpus(const CorpusIngestOptions& options);

}  // namespace magnetar::bench
