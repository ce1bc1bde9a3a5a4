// bench_search [--size N] [--seed S] [--dsn DSN] [--keep] [--passes P]
//              [--threads T] [--queries FILE] [--baseline-timeout-ms MS]
//              [--explain-over-ms MS] [--explain-top K] [--top-tokens K]
//
// The search engine (indexer/search) through the public API (rpc/api's
// ApiServer, in process, on 127.0.0.1) over the synthetic corpus (bench/corpus):
//   1. corpus: N torrents ingested through PgTorrentStore into a fresh
//      database of the server in MAGNETAR_TEST_DSN, then VACUUM ANALYZE; or,
//      with --dsn, into that database, skipped when it already holds N (so a
//      10M corpus is built once and reused: --dsn "host=... dbname=big");
//   2. the fixed query set of queries.txt (classes: the most frequent tokens,
//      words of exactly one torrent, 2-character prefixes, phrases,
//      exclusions, OR, every filter, every sort), each asking for a page of
//      20 with its total and content-type facets;
//   3. one warm-up pass, then P passes at concurrency 1 (latency p50/p95/p99
//      of each pass, the median over passes; QPS), then T client threads with
//      a channel each running the whole set once (QPS at concurrency T);
//   4. the naive baseline on the same words and filters over libpq
//      (ILIKE '%word%' ... ORDER BY first_seen DESC LIMIT 20), one pass under
//      a statement_timeout, a timeout counted as the timeout;
//   5. bytes per torrent of every relation and index but torrent_info_dicts.
// Prints a table per query class and the slowest queries (with the plans of
// the K worst, through auto_explain, when slower than --explain-over-ms),
// then as its last line:
//   bench search: torrents=N queries=N p50_ms=X p95_ms=X p99_ms=X qps_c1=X
//   qps_c16=X baseline_p50_ms=X ratio_p50_vs_baseline=X bytes_per_torrent=X
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <pqxx/pqxx>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "bench/corpus/bench_database.hpp"
#include "bench/corpus/corpus_ingest.hpp"
#include "bench/corpus/relation_sizes.hpp"
#include "bench/search/latency.hpp"
#include "bench/search/query_set.hpp"
#include "indexer/search/search_engine.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "magnetar/v1/magnetar.grpc.pb.h"
#include "rpc/api/api_limits.hpp"
#include "rpc/api/api_mapping.hpp"
#include "rpc/api/api_server.hpp"
#include "schema/migrator.hpp"

#ifndef MAGNETAR_BENCH_SEARCH_QUERIES
#define MAGNETAR_BENCH_SEARCH_QUERIES "bench/search/queries.txt"
#endif

namespace {

using namespace magnetar;
using bench::BenchQuery;
using bench::CorpusSpan;
using Clock = std::chrono::steady_clock;

constexpr std::uint64_t kDefaultSize = 1'000'000;
// bench/ingest's seed: both benchmarks see the same corpus.
constexpr std::uint64_t kDefaultSeed = 20'260'101;
// Timed passes at concurrency 1; the figures are the median over passes.
constexpr int kDefaultPasses = 5;
// The "concurrency 16".
constexpr int kDefaultThreads = 16;
// The baseline scans the table for most words: bounded, a timeout counts as this.
constexpr int kDefaultBaselineTimeoutMs = 30'000;
// The p50 target at 10M: a query slower than this gets its plans printed.
constexpr double kDefaultExplainOverMs = 15;
// Client deadline: above the server's own cap (kMaxApiDeadline), so that the
// server's statement_timeout is what ends a slow search.
constexpr std::chrono::seconds kClientDeadline{60};
// Seconds between progress lines while ingesting.
constexpr double kIngestProgressSeconds = 15;
// Slowest queries listed after the class table.
constexpr std::size_t kSlowestListed = 10;
// The page size every query asks for (bench/search/query_set.cpp).
constexpr std::int64_t kPageSize = 20;

double ms_since(Clock::time_point t) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

struct Options {
  std::uint64_t size = kDefaultSize;
  std::uint64_t seed = kDefaultSeed;
  std::string dsn;
  bool keep = false;
  int passes = kDefaultPasses;
  int threads = kDefaultThreads;
  std::string queries_file = MAGNETAR_BENCH_SEARCH_QUERIES;
  int baseline_timeout_ms = kDefaultBaselineTimeoutMs;
  double explain_over_ms = kDefaultExplainOverMs;
  int explain_top = 1;
  int top_tokens = 0;
};

[[noreturn]] void usage(const char* why) {
  if (why) std::fprintf(stderr, "bench_search: %s\n", why);
  std::fprintf(stderr,
               "usage: bench_search [--size N] [--seed S] [--dsn DSN] [--keep] [--passes P]\n"
               "                    [--threads T] [--queries FILE] [--baseline-timeout-ms MS]\n"
               "                    [--explain-over-ms MS] [--explain-top K] [--top-tokens K]\n"
               "  --dsn DSN   build the corpus into this database (migrated), or reuse it when\n"
               "              it already holds N torrents; without it, a fresh database on the\n"
               "              server of MAGNETAR_TEST_DSN, dropped at the end\n"
               "  --keep      keep that fresh database (its DSN is printed)\n"
               "  --top-tokens K  print the K most frequent words of the corpus (ts_stat)\n");
  std::exit(2);
}

std::uint64_t parse_count(const std::string& flag, const char* text) {
  char* end = nullptr;
  const auto v = std::strtoull(text, &end, 10);
  if (end == text || *end != '\0' || v == 0) usage((flag + " needs a positive number").c_str());
  return v;
}

Options parse_options(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    const auto value = [&]() -> const char* {
      if (i + 1 >= argc) usage((arg + " needs a value").c_str());
      return argv[++i];
    };
    if (arg == "--size") {
      o.size = parse_count(arg, value());
    } else if (arg == "--seed") {
      o.seed = parse_count(arg, value());
    } else if (arg == "--dsn") {
      o.dsn = value();
    } else if (arg == "--keep") {
      o.keep = true;
    } else if (arg == "--passes") {
      o.passes = static_cast<int>(parse_count(arg, value()));
    } else if (arg == "--threads") {
      o.threads = static_cast<int>(parse_count(arg, value()));
    } else if (arg == "--queries") {
      o.queries_file = value();
    } else if (arg == "--baseline-timeout-ms") {
      o.baseline_timeout_ms = static_cast<int>(parse_count(arg, value()));
    } else if (arg == "--explain-over-ms") {
      o.explain_over_ms = static_cast<double>(parse_count(arg, value()));
    } else if (arg == "--explain-top") {
      o.explain_top = static_cast<int>(parse_count(arg, value()));
    } else if (arg == "--top-tokens") {
      o.top_tokens = static_cast<int>(parse_count(arg, value()));
    } else {
      usage(("unknown argument " + arg).c_str());
    }
  }
  return o;
}

// The machine's load averages: the figures depend on what else runs.
std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  if (!(in >> a >> b >> c)) return "unknown";
  return a + " " + b + " " + c;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

std::int64_t torrent_count(const std::string& dsn) {
  pqxx::connection c(dsn);
  pqxx::read_transaction tx(c);
  return tx.exec1("SELECT coalesce(sum(count), 0)::bigint FROM torrent_counts")[0]
      .as<std::int64_t>();
}

// The database the benchmark runs on: fresh (owned) or the one of --dsn.
struct Database {
  std::string server;  // the admin DSN when owned
  std::string name;
  std::string dsn;
  bool owned = false;
};

Database open_database(const Options& o) {
  Database db;
  if (o.dsn.empty()) {
    const char* server = std::getenv("MAGNETAR_TEST_DSN");
    if (server == nullptr || *server == '\0') {
      throw std::runtime_error(
          "MAGNETAR_TEST_DSN is not set (run it through scripts/bench search or "
          "scripts/with-postgres), and no --dsn given");
    }
    db.server = server;
    db.name = "bench_search_" + std::to_string(::getpid());
    db.owned = true;
    db.dsn = bench::create_bench_database(db.server, db.name);
  } else {
    db.dsn = o.dsn;
    pqxx::connection c(db.dsn);
    schema::migrate(c);
  }
  return db;
}

CorpusSpan corpus_span(pqxx::connection_base& c) {
  pqxx::read_transaction tx(c);
  const auto r = tx.exec1(
      "SELECT (extract(epoch FROM min(first_seen)) * 1000000)::bigint,"
      " (extract(epoch FROM max(first_seen)) * 1000000)::bigint FROM torrents");
  const auto at = [](std::int64_t us) {
    return std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::microseconds(us)));
  };
  return {at(r[0].as<std::int64_t>()), at(r[1].as<std::int64_t>())};
}

// Words that match exactly one torrent: the corpus generator ends the names
// of unknown-type torrents with a number below 100,000 (before an optional
// " [Complete YEAR]" and ".dat"); numbers of 2025 and above appear in no
// other name (years stop at 2024, other numbers are smaller or glued to
// letters, like v1234 or 1080p), so one such number used once is a word of
// one torrent. Spread by md5, deterministic for a given corpus.
std::vector<std::string> unique_words(pqxx::connection_base& c, std::size_t count) {
  pqxx::read_transaction tx(c);
  std::vector<std::string> out;
  for (const auto& row :
       tx.exec("SELECT w FROM (SELECT substring(name FROM"
               " ' ([0-9]{4,5})(?: \\[Complete [0-9]+\\])?(?:\\.dat)?$') AS w"
               " FROM torrents WHERE content_type = 0) s"
               " WHERE w IS NOT NULL AND w::int >= 2025 GROUP BY w HAVING count(*) = 1"
               " ORDER BY md5(w) LIMIT " +
               std::to_string(count))) {
    out.push_back(row[0].as<std::string>());
  }
  return out;
}

void print_top_tokens(pqxx::connection_base& c, int k) {
  pqxx::read_transaction tx(c);
  std::printf("\nmost frequent words (ts_stat over the name words, facets left out):\n");
  for (const auto& row : tx.exec("SELECT word, ndoc FROM ts_stat('SELECT search FROM torrents')"
                                 " WHERE word NOT LIKE '~%' ORDER BY ndoc DESC, word LIMIT " +
                                 std::to_string(k))) {
    std::printf("  %-16s %12lld\n", row[0].c_str(), static_cast<long long>(row[1].as<long>()));
  }
}

// One Search call.
struct Call {
  double ms = 0;
  bool ok = false;
  std::string error;
  std::int64_t total = 0;
  bool estimated = false;
  int hits = 0;
};

Call call_search(v1::Magnetar::Stub& stub, const v1::SearchRequest& request) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + kClientDeadline);
  v1::SearchResponse response;
  const auto start = Clock::now();
  const auto status = stub.Search(&context, request, &response);
  Call c;
  c.ms = ms_since(start);
  c.ok = status.ok();
  if (!c.ok) {
    c.error = std::to_string(status.error_code()) + " " + status.error_message();
    return c;
  }
  c.total = response.total().value();
  c.estimated = response.total().estimated();
  c.hits = response.torrents_size();
  return c;
}

std::shared_ptr<grpc::Channel> make_channel(int port, int id) {
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(rpc::kMaxApiResponseBytes);
  // Distinct arguments give each client its own connection (gRPC shares a
  // subchannel between channels with equal arguments).
  args.SetInt("magnetar.bench.client", id);
  return grpc::CreateCustomChannel("127.0.0.1:" + std::to_string(port),
                                   grpc::InsecureChannelCredentials(), args);
}

// The baseline's time for one query (ms), or the timeout when it ran out.
struct BaselineRun {
  double ms = 0;
  bool timed_out = false;
};

BaselineRun run_baseline(pqxx::connection_base& c, const std::string& sql, int timeout_ms) {
  pqxx::nontransaction tx(c);
  const auto start = Clock::now();
  try {
    tx.exec(sql);
  } catch (const pqxx::sql_error& e) {
    // 57014 query_canceled: the statement_timeout.
    if (e.sqlstate() != "57014") throw;
    return {static_cast<double>(timeout_ms), true};
  }
  return {ms_since(start), false};
}

// Notices of a connection (auto_explain's plans at level NOTICE).
class NoticeCollector final : public pqxx::errorhandler {
 public:
  explicit NoticeCollector(pqxx::connection_base& c) : pqxx::errorhandler(c) {}
  bool operator()(const char msg[]) noexcept override {
    try {
      notices.emplace_back(msg);
    } catch (...) {
    }
    return false;
  }
  std::vector<std::string> notices;
};

// Runs the engine once for `request` with auto_explain logging every
// statement's EXPLAIN ANALYZE to this client; prints the plans.
void explain(const std::string& dsn, const v1::SearchRequest& request) {
  try {
    auto spec = rpc::to_search_spec(request);
    if (!spec) {
      std::printf("  (not explained: %s)\n", spec.error().c_str());
      return;
    }
    pqxx::connection c(dsn);
    NoticeCollector notices(c);
    pqxx::nontransaction setup(c);
    setup.exec("LOAD 'auto_explain'");
    setup.exec("SET auto_explain.log_min_duration = 0");
    setup.exec("SET auto_explain.log_analyze = on");
    setup.exec("SET auto_explain.log_buffers = on");
    setup.exec("SET auto_explain.log_timing = on");
    setup.exec("SET auto_explain.log_level = notice");
    setup.exec("SET client_min_messages = notice");
    setup.commit();
    const auto start = Clock::now();
    auto page = search::run_search(c, *spec, rpc::kMaxApiDeadline);
    const double ms = ms_since(start);
    std::printf("  engine run: %.1f ms, %s\n", ms,
                page ? (std::to_string(page->hits.size()) + " hits").c_str()
                     : page.error().message().c_str());
    for (const auto& n : notices.notices) {
      // EXPLAIN (FORMAT JSON) of the estimate shows up without timings: skip it.
      // The transaction's own statements (BEGIN, SET) have no query text.
      if (n.find("Query Text: EXPLAIN") != std::string::npos ||
          n.find("Query Text: \n") != std::string::npos) {
        continue;
      }
      std::printf("%s", n.c_str());
      if (!n.empty() && n.back() != '\n') std::printf("\n");
    }
  } catch (const std::exception& e) {
    std::printf("  (not explained: %s)\n", e.what());
  }
}

std::string describe(const BenchQuery& q) {
  std::string s = q.text.empty() ? "(no words)" : q.text;
  if (!q.options.empty()) s += "  [" + q.options + "]";
  return s;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse_options(argc, argv);
  try {
    auto parsed = bench::parse_query_set(read_file(options.queries_file));
    if (!parsed) throw std::runtime_error(options.queries_file + ": " + parsed.error().message);
    auto queries = std::move(*parsed);

    const auto db = open_database(options);
    auto conn_owner = std::make_unique<pqxx::connection>(db.dsn);
    auto& conn = *conn_owner;
    {
      pqxx::read_transaction tx(conn);
      std::printf("server: fsync=%s shared_buffers=%s work_mem=%s; load average %s\n",
                  tx.exec1("SHOW fsync")[0].c_str(), tx.exec1("SHOW shared_buffers")[0].c_str(),
                  tx.exec1("SHOW work_mem")[0].c_str(), load_average().c_str());
    }
    const auto had = torrent_count(db.dsn);
    if (had >= static_cast<std::int64_t>(options.size)) {
      std::printf("reusing the corpus in the database: %lld torrents\n",
                  static_cast<long long>(had));
    } else {
      std::printf("ingesting %llu corpus torrents (seed %llu) through PgTorrentStore...\n",
                  static_cast<unsigned long long>(options.size),
                  static_cast<unsigned long long>(options.seed));
      std::fflush(stdout);
      const auto load = bench::ingest_corpus({.dsn = db.dsn,
                                              .seed = options.seed,
                                              .count = options.size,
                                              .progress_seconds = kIngestProgressSeconds});
      if (load.acked != options.size) {
        throw std::runtime_error("only " + std::to_string(load.acked) + " of " +
                                 std::to_string(options.size) + " torrents acknowledged");
      }
      std::printf("ingested in %.1f s (%.0f torrents/s)\n", load.seconds,
                  static_cast<double>(options.size) / load.seconds);
    }
    {
      const auto start = Clock::now();
      pqxx::nontransaction(conn).exec("VACUUM ANALYZE");
      std::printf("VACUUM ANALYZE in %.1f s\n", ms_since(start) / 1000);
    }
    const auto torrents = torrent_count(db.dsn);
    const auto sizes = bench::relation_sizes(conn);
    const auto span = corpus_span(conn);
    if (options.top_tokens > 0) print_top_tokens(conn, options.top_tokens);

    const auto words = unique_words(conn, bench::unique_placeholders(queries));
    if (auto bound = bench::bind_unique_words(queries, words); !bound)
      throw std::runtime_error(bound.error().message);
    std::vector<v1::SearchRequest> requests;
    for (const auto& q : queries) requests.push_back(bench::to_request(q, span));
    const std::size_t n = queries.size();

    // The API server in process, with its own store (Delete/Block only).
    indexer::store::PgTorrentStoreOptions store_options;
    store_options.dsn = db.dsn;
    store_options.writer_threads = 1;
    indexer::store::PgTorrentStore store(store_options);
    rpc::ApiServerOptions server_options;
    server_options.listen = "127.0.0.1:0";
    server_options.service.dsn = db.dsn;
    server_options.service.token = "bench-search";
    server_options.service.db_connections =
        std::max<std::size_t>(rpc::ApiServiceOptions{}.db_connections, options.threads);
    auto server = std::make_unique<rpc::ApiServer>(server_options, store);
    auto stub = v1::Magnetar::NewStub(make_channel(server->port(), 0));

    // Warm-up pass: also the totals, facets' estimate flags and errors.
    std::printf("\n%zu queries; warm-up pass, then %d passes at concurrency 1...\n", n,
                options.passes);
    std::fflush(stdout);
    std::vector<Call> first(n);
    for (std::size_t i = 0; i < n; ++i) first[i] = call_search(*stub, requests[i]);
    std::vector<std::vector<double>> per_query(n);  // ms, one per pass
    std::vector<double> pass_p50, pass_p95, pass_p99, pass_qps;
    std::size_t failures = 0;
    for (int p = 0; p < options.passes; ++p) {
      std::vector<double> lat;
      const auto start = Clock::now();
      for (std::size_t i = 0; i < n; ++i) {
        const auto c = call_search(*stub, requests[i]);
        failures += !c.ok;
        lat.push_back(c.ms);
        per_query[i].push_back(c.ms);
      }
      pass_qps.push_back(static_cast<double>(n) / (ms_since(start) / 1000));
      pass_p50.push_back(bench::percentile(lat, 50));
      pass_p95.push_back(bench::percentile(lat, 95));
      pass_p99.push_back(bench::percentile(lat, 99));
    }

    // Concurrency T: each client (own channel) runs the whole set once,
    // starting at its own offset.
    std::printf("%d clients, each running the set once...\n", options.threads);
    std::fflush(stdout);
    std::atomic<std::size_t> concurrent_failures{0};
    double qps_cn = 0;
    {
      std::vector<std::unique_ptr<v1::Magnetar::Stub>> stubs;
      for (int t = 0; t < options.threads; ++t)
        stubs.push_back(v1::Magnetar::NewStub(make_channel(server->port(), t + 1)));
      // Connect every channel before the clock starts.
      for (auto& s : stubs) call_search(*s, requests[0]);
      const auto start = Clock::now();
      std::vector<std::thread> clients;
      for (int t = 0; t < options.threads; ++t) {
        clients.emplace_back([&, t] {
          const std::size_t offset = static_cast<std::size_t>(t) * n / options.threads;
          for (std::size_t k = 0; k < n; ++k) {
            if (!call_search(*stubs[t], requests[(offset + k) % n]).ok) ++concurrent_failures;
          }
        });
      }
      for (auto& c : clients) c.join();
      qps_cn = static_cast<double>(n) * options.threads / (ms_since(start) / 1000);
    }

    // The naive baseline, same words and filters, one pass.
    std::printf(
        "baseline: ILIKE '%%word%%' ... ORDER BY first_seen DESC LIMIT 20, one pass"
        " (statement_timeout %d ms)...\n",
        options.baseline_timeout_ms);
    std::fflush(stdout);
    std::vector<std::optional<BaselineRun>> baseline(n);
    int timeouts = 0;
    {
      pqxx::connection bc(db.dsn);
      pqxx::nontransaction(bc).exec("SET statement_timeout = " +
                                    std::to_string(options.baseline_timeout_ms));
      for (std::size_t i = 0; i < n; ++i) {
        auto sql = bench::baseline_sql(queries[i], span);
        if (!sql) throw std::runtime_error(sql.error().message);
        if (sql->empty()) continue;
        baseline[i] = run_baseline(bc, *sql, options.baseline_timeout_ms);
        timeouts += baseline[i]->timed_out;
      }
    }

    // Per-class table, in the order classes first appear in the file.
    std::vector<std::string> classes;
    for (const auto& q : queries) {
      if (std::find(classes.begin(), classes.end(), q.query_class) == classes.end())
        classes.push_back(q.query_class);
    }
    // short_pages: first pages holding fewer than min(20, total) hits (a
    // walk that stopped at its bound: the page ends early, its token goes on).
    std::printf("\n%-17s %7s %8s %8s %12s %9s %11s %12s %6s\n", "class", "queries", "p50_ms",
                "p99_ms", "mean_matches", "est_share", "short_pages", "baseline_p50", "errors");
    for (const auto& cls : classes) {
      std::vector<double> lat, base;
      double matches = 0, estimated = 0;
      int count = 0, errors = 0, short_pages = 0;
      for (std::size_t i = 0; i < n; ++i) {
        if (queries[i].query_class != cls) continue;
        ++count;
        lat.insert(lat.end(), per_query[i].begin(), per_query[i].end());
        matches += static_cast<double>(first[i].total);
        estimated += first[i].estimated;
        errors += !first[i].ok;
        short_pages += first[i].ok && first[i].hits < std::min(kPageSize, first[i].total);
        if (baseline[i]) base.push_back(baseline[i]->ms);
      }
      char base_text[32] = "-";
      if (!base.empty()) std::snprintf(base_text, sizeof base_text, "%.1f", bench::median(base));
      std::printf("%-17s %7d %8.2f %8.2f %12.0f %9.2f %11d %12s %6d\n", cls.c_str(), count,
                  bench::percentile(lat, 50), bench::percentile(lat, 99), matches / count,
                  estimated / count, short_pages, base_text, errors);
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (!first[i].ok) {
        std::printf("error: line %d %s: %s\n", queries[i].line, describe(queries[i]).c_str(),
                    first[i].error.c_str());
      }
    }
    for (std::size_t i = 0; i < n; ++i) {
      if (queries[i].query_class == "unique" && first[i].ok && first[i].total != 1) {
        std::printf("note: line %d %s matched %lld torrents, not one\n", queries[i].line,
                    describe(queries[i]).c_str(), static_cast<long long>(first[i].total));
      }
    }

    // The slowest queries by their median over the passes.
    std::vector<std::pair<double, std::size_t>> by_median;
    for (std::size_t i = 0; i < n; ++i) by_median.push_back({bench::median(per_query[i]), i});
    std::sort(by_median.rbegin(), by_median.rend());
    std::printf("\nslowest queries (median over passes):\n");
    for (std::size_t k = 0; k < std::min(kSlowestListed, n); ++k) {
      const auto i = by_median[k].second;
      std::printf("  %8.2f ms  %-17s total %lld%s, %d hits  %s\n", by_median[k].first,
                  queries[i].query_class.c_str(), static_cast<long long>(first[i].total),
                  first[i].estimated ? " (est)" : "", first[i].hits, describe(queries[i]).c_str());
    }
    for (std::size_t k = 0; k < std::min<std::size_t>(options.explain_top, n); ++k) {
      if (by_median[k].first <= options.explain_over_ms) break;
      const auto i = by_median[k].second;
      std::printf("\nplans of slowest query %zu (%s, line %d), auto_explain of one engine run:\n",
                  k + 1, describe(queries[i]).c_str(), queries[i].line);
      explain(db.dsn, requests[i]);
    }

    // Bytes per torrent.
    std::fputs(bench::format_relation_sizes(sizes, torrents).c_str(), stdout);
    const double bpt = bench::bytes_per_torrent(sizes, torrents);

    std::vector<double> base_all, ours_same;
    for (std::size_t i = 0; i < n; ++i) {
      if (!baseline[i]) continue;
      base_all.push_back(baseline[i]->ms);
      ours_same.push_back(bench::median(per_query[i]));
    }
    const double p50 = bench::median(pass_p50), p95 = bench::median(pass_p95),
                 p99 = bench::median(pass_p99), qps1 = bench::median(pass_qps);
    const double base_p50 = bench::median(base_all);
    std::printf("\n%-28s %lld\n", "torrents", static_cast<long long>(torrents));
    std::printf("%-28s %zu (%zu with words, run by the baseline)\n", "queries", n, base_all.size());
    std::printf("%-28s p50 %.2f  p95 %.2f  p99 %.2f ms (median of %d passes)\n",
                "latency, concurrency 1", p50, p95, p99, options.passes);
    std::printf("%-28s %.1f at 1, %.1f at %d\n", "queries/s", qps1, qps_cn, options.threads);
    std::printf("%-28s %zu at 1, %zu at %d\n", "failed calls", failures, concurrent_failures.load(),
                options.threads);
    std::printf("%-28s p50 %.2f  p95 %.2f  p99 %.2f ms, %d timeouts\n", "baseline", base_p50,
                bench::percentile(base_all, 95), bench::percentile(base_all, 99), timeouts);
    std::printf("%-28s p50 %.2f  p95 %.2f  p99 %.2f ms (medians over passes per query)\n",
                "ours on the same queries", bench::median(ours_same),
                bench::percentile(ours_same, 95), bench::percentile(ours_same, 99));
    std::printf("%-28s %s\n", "load average at the end", load_average().c_str());
    std::printf("%-28s %.1f\n", "bytes per torrent", bpt);

    server.reset();
    store.close();
    conn_owner.reset();
    if (db.owned) {
      if (options.keep) {
        std::printf("kept the database: %s\n", db.dsn.c_str());
      } else {
        bench::drop_bench_database(db.server, db.name);
      }
    }
    std::printf(
        "bench search: torrents=%lld queries=%zu p50_ms=%.2f p95_ms=%.2f p99_ms=%.2f "
        "qps_c1=%.1f qps_c16=%.1f baseline_p50_ms=%.2f ratio_p50_vs_baseline=%.1f "
        "bytes_per_torrent=%.0f\n",
        static_cast<long long>(torrents), n, p50, p95, p99, qps1, qps_cn, base_p50,
        p50 > 0 ? base_p50 / p50 : 0.0, bpt);
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_search: %s\n", e.what());
    return 1;
  }
}
