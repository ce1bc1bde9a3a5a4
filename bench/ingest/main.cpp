// bench_ingest [--size N] [--baseline N] [--seed S]
//
// Ingests N torrents of the synthetic corpus (bench/corpus) through the real
// writer (PgTorrentStore: bounded queue, COPY + upsert batches, acks after
// COMMIT) into a fresh database of the server in MAGNETAR_TEST_DSN, then
// VACUUM ANALYZE and measures every relation of the schema. In the same run,
// a baseline on a sample: one prepared INSERT per row (torrent row and file
// list), one transaction per torrent, into another fresh database. Prints a
// table, then as its last line:
//   bench ingest: torrents=N mean_files=X torrents_per_s=X files_per_s=X
//   baseline_torrents_per_s=X ratio_vs_baseline=X bytes_per_torrent=X
// bytes_per_torrent counts every relation and index except raw info dicts.
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <pqxx/pqxx>
#include <string>
#include <vector>

#include "bench/corpus/bench_database.hpp"
#include "bench/corpus/corpus_chunk_source.hpp"
#include "bench/corpus/corpus_generator.hpp"
#include "bench/corpus/corpus_ingest.hpp"
#include "bench/corpus/relation_sizes.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "indexer/store/staged_row.hpp"

namespace {

using namespace magnetar;
using indexer::store::TorrentRecord;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kDefaultSize = 1'000'000;
constexpr std::uint64_t kDefaultBaseline = 5'000;
constexpr std::uint64_t kDefaultSeed = 20'260'101;
// Seconds between progress lines while ingesting.
constexpr double kProgressSeconds = 10;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// The corpus through PgTorrentStore; exits when a record was not acknowledged.
bench::CorpusIngest run_ingest(const std::string& dsn, std::uint64_t seed, std::uint64_t first,
                               std::uint64_t size, std::size_t writer_threads) {
  auto out = bench::ingest_corpus({.dsn = dsn,
                                   .seed = seed,
                                   .first = first,
                                   .count = size,
                                   .writer_threads = writer_threads,
                                   .progress_seconds = kProgressSeconds});
  if (out.acked != size) {
    std::fprintf(stderr, "bench ingest: only %llu of %llu acknowledged\n",
                 static_cast<unsigned long long>(out.acked), static_cast<unsigned long long>(size));
    std::exit(1);
  }
  return out;
}

// The naive writer: a prepared INSERT per row, a transaction per torrent.
double run_baseline(const std::string& dsn, std::uint64_t seed, std::uint64_t first,
                    std::uint64_t count) {
  pqxx::connection c(dsn);
  c.prepare("torrent",
            "INSERT INTO torrents (first_seen, last_seen, total_size, file_count, piece_length,"
            " source, content_type, year, season, episode, resolution, private, id, v2, name,"
            " name_raw, title, extensions) VALUES ("
            " timestamptz 'epoch' + $1::bigint * interval '1 microsecond',"
            " timestamptz 'epoch' + $2::bigint * interval '1 microsecond', $3, $4, $5, $6, $7,"
            " NULLIF($8, '')::smallint, NULLIF($9, '')::smallint, NULLIF($10, '')::smallint,"
            " NULLIF($11, '')::smallint, $12, $13::bytea, NULLIF($14, '')::bytea, $15,"
            " NULLIF($16, '')::bytea, NULLIF($17, ''), NULLIF($18, '')::text[])"
            " ON CONFLICT (id) DO UPDATE SET last_seen = greatest(torrents.last_seen,"
            " excluded.last_seen)");
  c.prepare("files",
            "INSERT INTO torrent_files (torrent_id, files) VALUES ($1::bytea, $2::bytea)"
            " ON CONFLICT (torrent_id) DO NOTHING");
  bench::CorpusGenerator gen(seed);
  std::vector<TorrentRecord> records;
  records.reserve(count);
  for (std::uint64_t i = first; i < first + count; ++i) records.push_back(gen.record(i));
  const indexer::store::StagedRowOptions row_options;
  const auto start = Clock::now();
  for (const auto& rec : records) {
    const auto r = indexer::store::make_staged_row(rec, row_options);
    pqxx::work tx(c);
    tx.exec_prepared("torrent", r.first_seen_us, r.last_seen_us, r.total_size, r.file_count,
                     r.piece_length, r.source, r.content_type, r.year, r.season, r.episode,
                     r.resolution, r.is_private, r.id_hex, r.v2_hex, r.name, r.name_raw_hex,
                     r.title, r.extensions);
    if (!r.files_hex.empty()) tx.exec_prepared("files", r.id_hex, r.files_hex);
    tx.commit();
  }
  return seconds_since(start);
}

// The alternative to COPY: multi-row INSERT ... VALUES ... ON CONFLICT
// statements (kRowsPerStatement rows each), kRowsPerTransaction per commit,
// on one connection; compared with PgTorrentStore on one writer connection.
double run_multirow(const std::string& dsn, std::uint64_t seed, std::uint64_t first,
                    std::uint64_t count) {
  constexpr std::size_t kRowsPerStatement = 500;
  constexpr std::size_t kRowsPerTransaction = 5000;
  pqxx::connection c(dsn);
  bench::CorpusChunkSource source(seed, first, count);
  const indexer::store::StagedRowOptions row_options;
  auto lit = [&](const std::string& v, const char* cast) {
    if (v.empty()) return std::string("NULL");
    std::string out(1, '\'');
    out.append(c.esc(v));
    out.push_back('\'');
    out.append(cast);
    return out;
  };
  const auto start = Clock::now();
  std::vector<indexer::store::StagedRow> rows;
  auto write = [&] {
    if (rows.empty()) return;
    pqxx::work tx(c);
    for (std::size_t at = 0; at < rows.size(); at += kRowsPerStatement) {
      const auto end = std::min(rows.size(), at + kRowsPerStatement);
      std::string torrents =
          "INSERT INTO torrents AS t (first_seen, last_seen, total_size, file_count,"
          " piece_length, source, content_type, year, season, episode, resolution, private, id,"
          " v2, name, name_raw, title, extensions) VALUES ";
      std::string files = "INSERT INTO torrent_files (torrent_id, files) VALUES ";
      bool any_files = false;
      for (std::size_t i = at; i < end; ++i) {
        const auto& r = rows[i];
        if (i > at) torrents += ',';
        const auto micros = [](std::int64_t us) {
          std::string t = "timestamptz 'epoch' + ";
          t.append(std::to_string(us));
          t.append(" * interval '1 microsecond'");
          return t;
        };
        const std::string fields[] = {micros(r.first_seen_us),
                                      micros(r.last_seen_us),
                                      std::to_string(r.total_size),
                                      std::to_string(r.file_count),
                                      std::to_string(r.piece_length),
                                      std::to_string(r.source),
                                      std::to_string(r.content_type),
                                      lit(r.year, "::smallint"),
                                      lit(r.season, "::smallint"),
                                      lit(r.episode, "::smallint"),
                                      lit(r.resolution, "::smallint"),
                                      r.is_private ? "true" : "false",
                                      lit(r.id_hex, "::bytea"),
                                      lit(r.v2_hex, "::bytea"),
                                      lit(r.name, "::text"),
                                      lit(r.name_raw_hex, "::bytea"),
                                      lit(r.title, ""),
                                      lit(r.extensions, "::text[]")};
        torrents.push_back('(');
        for (std::size_t k = 0; k < std::size(fields); ++k) {
          if (k) torrents.append(", ");
          torrents.append(fields[k]);
        }
        torrents.push_back(')');
        if (!r.files_hex.empty()) {
          if (any_files) files.push_back(',');
          files.push_back('(');
          files.append(lit(r.id_hex, "::bytea"));
          files.append(", ");
          files.append(lit(r.files_hex, "::bytea"));
          files.push_back(')');
          any_files = true;
        }
      }
      torrents.append(
          " ON CONFLICT (id) DO UPDATE SET last_seen = greatest(t.last_seen, excluded.last_seen)");
      tx.exec(torrents);
      files.append(" ON CONFLICT (torrent_id) DO NOTHING");
      if (any_files) tx.exec(files);
    }
    tx.commit();
    rows.clear();
  };
  for (;;) {
    auto chunk = source.next();
    if (chunk.empty()) break;
    for (const auto& r : chunk) rows.push_back(indexer::store::make_staged_row(r, row_options));
    if (rows.size() >= kRowsPerTransaction) write();
  }
  write();
  return seconds_since(start);
}

// Every relation after VACUUM ANALYZE (no dead tuples, fresh statistics).
std::vector<bench::RelationSize> vacuumed_relation_sizes(const std::string& dsn) {
  pqxx::connection c(dsn);
  pqxx::nontransaction(c).exec("VACUUM ANALYZE");
  return bench::relation_sizes(c);
}

std::uint64_t parse_count(const char* flag, const char* text) {
  char* end = nullptr;
  const auto v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) {
    std::fprintf(stderr, "bench_ingest: %s needs a positive number, got '%s'\n", flag, text);
    std::exit(2);
  }
  return v;
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t size = kDefaultSize, baseline = kDefaultBaseline, seed = kDefaultSeed;
  std::uint64_t compare = 0;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if ((arg == "--size" || arg == "--baseline" || arg == "--seed" || arg == "--compare") &&
        i + 1 < argc) {
      const auto v = parse_count(argv[i], argv[i + 1]);
      (arg == "--size"       ? size
       : arg == "--baseline" ? baseline
       : arg == "--seed"     ? seed
                             : compare) = v;
      ++i;
    } else {
      std::fprintf(stderr,
                   "usage: bench_ingest [--size N] [--baseline N] [--seed S] [--compare N]\n"
                   "  --compare N: also time N torrents by COPY (one writer connection) and by\n"
                   "               multi-row INSERT ... VALUES upserts, on fresh databases\n");
      return 2;
    }
  }
  const char* server = std::getenv("MAGNETAR_TEST_DSN");
  if (server == nullptr || *server == '\0') {
    std::fprintf(stderr,
                 "bench_ingest: MAGNETAR_TEST_DSN is not set (run it through "
                 "scripts/bench ingest or scripts/with-postgres)\n");
    return 2;
  }
  try {
    const std::string pid = std::to_string(::getpid());
    {
      pqxx::connection c(server);
      pqxx::read_transaction tx(c);
      std::printf("server: fsync=%s synchronous_commit=%s shared_buffers=%s\n",
                  tx.exec1("SHOW fsync")[0].c_str(), tx.exec1("SHOW synchronous_commit")[0].c_str(),
                  tx.exec1("SHOW shared_buffers")[0].c_str());
    }
    const auto dsn = bench::create_bench_database(server, "bench_ingest_" + pid);
    std::printf("ingesting %llu corpus torrents (seed %llu) through PgTorrentStore...\n",
                static_cast<unsigned long long>(size), static_cast<unsigned long long>(seed));
    std::fflush(stdout);
    const auto ingest = run_ingest(dsn, seed, 0, size, indexer::store::kDefaultWriterThreads);
    const auto sizes = vacuumed_relation_sizes(dsn);

    const auto baseline_dsn = bench::create_bench_database(server, "bench_baseline_" + pid);
    std::printf("baseline: %llu torrents, prepared INSERT per row, one transaction each...\n",
                static_cast<unsigned long long>(baseline));
    std::fflush(stdout);
    // A sample from beyond the ingested range: the same distribution.
    const double baseline_seconds = run_baseline(baseline_dsn, seed, size, baseline);

    if (compare > 0) {
      const auto copy_dsn = bench::create_bench_database(server, "bench_copy_" + pid);
      const double copy_s = run_ingest(copy_dsn, seed, size, compare, 1).seconds;
      const auto multi_dsn = bench::create_bench_database(server, "bench_multirow_" + pid);
      const double multi_s = run_multirow(multi_dsn, seed, size, compare);
      std::printf(
          "compare on %llu torrents, one connection: COPY+upsert %.0f torrents/s,"
          " multi-row INSERT upsert %.0f torrents/s\n",
          static_cast<unsigned long long>(compare), compare / copy_s, compare / multi_s);
    }
    const double tps = static_cast<double>(size) / ingest.seconds;
    const double fps = static_cast<double>(ingest.files) / ingest.seconds;
    const double baseline_tps = static_cast<double>(baseline) / baseline_seconds;
    const auto torrents = static_cast<std::int64_t>(size);
    std::fputs(bench::format_relation_sizes(sizes, torrents).c_str(), stdout);
    const double bpt = bench::bytes_per_torrent(sizes, torrents);
    std::printf("\n%-28s %llu\n", "torrents", static_cast<unsigned long long>(size));
    std::printf("%-28s %llu (mean %.1f per torrent)\n", "files",
                static_cast<unsigned long long>(ingest.files),
                static_cast<double>(ingest.files) / static_cast<double>(size));
    std::printf("%-28s %.2f s\n", "elapsed", ingest.seconds);
    std::printf("%-28s %.0f\n", "torrents/s", tps);
    std::printf("%-28s %.2f s generator, %.2f s encode+writer, %.2f s PostgreSQL backend\n", "cpu",
                ingest.generator_cpu, ingest.process_cpu - ingest.generator_cpu,
                ingest.backend_cpu);
    std::printf("%-28s %.0f (writer + backend CPU only)\n", "torrents per cpu-second",
                static_cast<double>(size) /
                    (ingest.process_cpu - ingest.generator_cpu + ingest.backend_cpu));
    std::printf("%-28s %.0f\n", "files/s", fps);
    std::printf("%-28s %llu (retries %llu)\n", "batches",
                static_cast<unsigned long long>(ingest.stats.batches),
                static_cast<unsigned long long>(ingest.stats.retries));
    std::printf("%-28s %.0f (%llu torrents in %.2f s)\n", "baseline torrents/s", baseline_tps,
                static_cast<unsigned long long>(baseline), baseline_seconds);
    std::printf("%-28s %.1f\n", "bytes per torrent", bpt);
    std::printf(
        "bench ingest: torrents=%llu mean_files=%.1f torrents_per_s=%.0f files_per_s=%.0f "
        "baseline_torrents_per_s=%.0f ratio_vs_baseline=%.1f bytes_per_torrent=%.0f\n",
        static_cast<unsigned long long>(size),
        static_cast<double>(ingest.files) / static_cast<double>(size), tps, fps, baseline_tps,
        tps / baseline_tps, bpt);
    return 0;
  } catch (const std::exception& ex) {
    std::fprintf(stderr, "bench_ingest: %s\n", ex.what());
    return 1;
  }
}
