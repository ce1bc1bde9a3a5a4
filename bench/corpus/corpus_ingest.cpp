#include "bench/corpus/corpus_ingest.hpp"

#include <sys/resource.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <pqxx/pqxx>
#include <sstream>

#include "bench/corpus/corpus_chunk_source.hpp"

namespace magnetar::bench {
namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

double process_cpu_seconds() {
  rusage ru{};
  getrusage(RUSAGE_SELF, &ru);
  return static_cast<double>(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
         static_cast<double>(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

// utime + stime of a process (a PostgreSQL backend), from /proc; 0 if unknown.
double pid_cpu_seconds(long pid) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return 0;
  const auto close = line.rfind(')');
  if (close == std::string::npos) return 0;
  std::istringstream fields(line.substr(close + 2));
  std::string f;
  double utime = 0, stime = 0;
  // Fields 3.. after the command; utime and stime are fields 14 and 15.
  for (int i = 3; i <= 15 && fields >> f; ++i) {
    if (i == 14) utime = std::stod(f);
    if (i == 15) stime = std::stod(f);
  }
  return (utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

// CPU time of the store's writer backends, read while their connections are
// still open (they are found by application_name).
double writer_backend_cpu_seconds(const std::string& dsn) {
  double out = 0;
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  for (const auto& row : tx.exec("SELECT pid FROM pg_stat_activity WHERE application_name ="
                                 " 'magnetar-store-writer' AND datname = current_database()"))
    out += pid_cpu_seconds(row[0].as<long>());
  return out;
}

}  // namespace

CorpusIngest ingest_corpus(const CorpusIngestOptions& options) {
  CorpusIngest out;
  indexer::store::PgTorrentStoreOptions store_options;
  store_options.dsn = options.dsn;
  store_options.writer_threads = options.writer_threads;
  indexer::store::PgTorrentStore store(store_options);
  std::atomic<std::uint64_t> acked{0};
  const double cpu_at_start = process_cpu_seconds();
  CorpusChunkSource source(options.seed, options.first, options.count);
  const auto start = Clock::now();
  auto last_report = start;
  for (;;) {
    auto chunk = source.next();
    if (chunk.empty()) break;
    for (const auto& r : chunk) out.files += static_cast<std::uint64_t>(r.file_count);
    const auto n = chunk.size();
    store.submit(std::move(chunk), [&acked, n] { acked += n; });
    if (seconds_since(last_report) > options.progress_seconds) {
      last_report = Clock::now();
      std::fprintf(stderr, "  ... %llu of %llu acked after %.0f s\n",
                   static_cast<unsigned long long>(acked.load()),
                   static_cast<unsigned long long>(options.count), seconds_since(start));
    }
  }
  store.flush();
  out.seconds = seconds_since(start);
  out.acked = acked.load();
  out.stats = store.stats();
  out.generator_cpu = source.cpu_seconds();
  out.process_cpu = process_cpu_seconds() - cpu_at_start;
  out.backend_cpu = writer_backend_cpu_seconds(options.dsn);
  return out;
}

}  // namespace magnetar::bench
