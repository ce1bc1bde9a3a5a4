// bench_metadata_fetch_ours: our MetadataFetcher alone in its process (it
// links only the wire library), run by bench_metadata_fetch:
//   bench_metadata_fetch_ours JOB_FILE FETCHES IN_FLIGHT plain|require
// Fetches the job's torrents round-robin, IN_FLIGHT at a time, until FETCHES
// completed, and prints "result ..." (job_file.hpp) as its last line.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "bench/metadata_fetch/job_file.hpp"
#include "crawler/wire/metadata_fetcher.hpp"

using namespace magnetar;
using namespace magnetar::crawler::wire;
namespace asio = boost::asio;

int main(int argc, char** argv) {
  if (argc != 5) {
    std::cerr << "usage: bench_metadata_fetch_ours JOB_FILE FETCHES IN_FLIGHT plain|require\n";
    return 2;
  }
  const bench::Job job = bench::read_job(argv[1]);
  const std::size_t fetches = std::strtoull(argv[2], nullptr, 10);
  const std::size_t in_flight = std::strtoull(argv[3], nullptr, 10);
  const bool require = std::string(argv[4]) == "require";
  if (job.torrents.empty()) {
    std::cerr << "empty job\n";
    return 2;
  }

  struct Target {
    InfoHashes hashes;
    asio::ip::tcp::endpoint peer;
  };
  std::vector<Target> targets;
  for (const auto& t : job.torrents) {
    Target target;
    if (t.v1_hex != "-") target.hashes.v1 = InfoHashV1::from_hex(t.v1_hex);
    if (t.v2_hex != "-") target.hashes.v2 = InfoHashV2::from_hex(t.v2_hex);
    target.peer = {asio::ip::make_address(t.address), t.port};
    targets.push_back(std::move(target));
  }

  asio::io_context io(1);
  MetadataFetcherConfig config;
  config.encryption = require ? EncryptionPolicy::kRequire : EncryptionPolicy::kPreferPlaintext;
  config.max_connections = in_flight;
  // Neither contender limits connections per IP here: 40 seeders, 200 in flight.
  config.max_connections_per_ip = in_flight;
  // Padding only hides lengths; the seeders pad their side anyway.
  config.mse_max_pad = 0;
  MetadataFetcher fetcher(io, config);

  bench::RunRecorder recorder;
  std::map<std::string, std::size_t> errors;
  std::size_t issued = 0;
  std::function<void()> issue = [&] {
    const std::size_t index = issued % targets.size();
    ++issued;
    const auto started = bench::RunRecorder::Clock::now();
    fetcher.fetch(targets[index].hashes, {targets[index].peer},
                  [&, index, started](Result<std::string> r) {
                    recorder.completed(bench::RunRecorder::Clock::now() - started, r.ok(), index);
                    if (!r) ++errors[r.error().message()];
                    if (issued < fetches) issue();
                  });
  };
  recorder.start();
  for (std::size_t i = 0; i < in_flight && issued < fetches; ++i) issue();
  io.run();

  for (const auto& [message, count] : errors) {
    std::cerr << "ours: " << count << " x " << message << '\n';
  }
  const MetadataFetcherStats stats = fetcher.stats();
  std::cerr << "ours: " << stats.connections_started << " connections, " << stats.refused_retries
            << " retried after a close before the handshake, " << stats.fallback_retries
            << " in the other MSE mode\n";
  std::cout << recorder.report(targets.size()) << std::endl;
  return 0;
}
