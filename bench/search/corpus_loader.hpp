// Builds the synthetic corpus (bench/corpus) in a database the way bench/ingest
// does: records generated on a thread of their own, submitted in chunks to the
// real writer (PgTorrentStore: COPY + upsert batches, acked after COMMIT).
#pragma once

#include <cstdint>
#include <string>

namespace magnetar::bench {

struct CorpusLoad {
  double seconds = 0;
  std::uint64_t acked = 0;  // records acknowledged by the store
};

// Records [0, size) of the corpus of `seed` into the database at dsn (schema
// migrated). Upserts: records already there are left as they are. Progress
// goes to stderr every few seconds.
CorpusLoad load_corpus(const std::string& dsn, std::uint64_t seed, std::uint64_t size);

}  // namespace magnetar::bench
