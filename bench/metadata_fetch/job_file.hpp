// The job a benchmark child runs, handed over in a temporary file (one line
// per item, space-separated), and the figures it reports back on its last
// stdout line. Header-only and std-only: the child running our fetcher links
// nothing but the wire library.
#pragma once

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

namespace magnetar::bench {

struct JobTorrent {
  std::string v1_hex;  // "-" when absent
  std::string v2_hex;  // "-" when absent
  std::string address;
  std::uint16_t port = 0;
  std::string magnet;  // for the libtorrent children
};

struct Job {
  std::vector<JobTorrent> torrents;
  std::vector<std::pair<std::string, std::uint16_t>> dht_nodes;  // UDP
};

//   torrent <v1 hex|-> <v2 hex|-> <ip> <port> <magnet>
//   dht <ip> <port>
inline bool write_job(const std::string& path, const Job& job) {
  std::ofstream out(path);
  for (const auto& t : job.torrents) {
    out << "torrent " << t.v1_hex << ' ' << t.v2_hex << ' ' << t.address << ' ' << t.port << ' '
        << t.magnet << '\n';
  }
  for (const auto& [ip, port] : job.dht_nodes) out << "dht " << ip << ' ' << port << '\n';
  return static_cast<bool>(out);
}

inline Job read_job(const std::string& path) {
  Job job;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string kind;
    fields >> kind;
    if (kind == "torrent") {
      JobTorrent t;
      fields >> t.v1_hex >> t.v2_hex >> t.address >> t.port >> t.magnet;
      job.torrents.push_back(std::move(t));
    } else if (kind == "dht") {
      std::string ip;
      std::uint16_t port = 0;
      fields >> ip >> port;
      job.dht_nodes.emplace_back(ip, port);
    }
  }
  return job;
}

// What a child measured: completions in time order, their latencies.
class RunRecorder {
 public:
  using Clock = std::chrono::steady_clock;

  void start() { start_ = Clock::now(); }
  void completed(Clock::duration latency, bool ok, std::size_t torrent) {
    done_at_.push_back(Clock::now() - start_);
    if (ok) {
      latencies_.push_back(latency);
      ++ok_;
      resolved_[torrent] = true;
    }
  }
  std::size_t done() const { return done_at_.size(); }
  std::size_t ok() const { return ok_; }

  // Completions per second between the 10% and 90% completion marks (the
  // ramp-up and the tail left out); all of them when too few.
  double rate() const {
    const std::size_t n = done_at_.size();
    if (n < 20) {
      const double s = n ? std::chrono::duration<double>(done_at_.back()).count() : 0;
      return s > 0 ? static_cast<double>(ok_) / s : 0;
    }
    const std::size_t a = n / 10;
    const std::size_t b = n * 9 / 10;
    const double s = std::chrono::duration<double>(done_at_[b] - done_at_[a]).count();
    return s > 0 ? static_cast<double>(b - a) / s * (static_cast<double>(ok_) / n) : 0;
  }
  double percentile_ms(double p) const {
    if (latencies_.empty()) return 0;
    std::vector<Clock::duration> sorted = latencies_;
    std::sort(sorted.begin(), sorted.end());
    const std::size_t i = std::min(sorted.size() - 1, static_cast<std::size_t>(p * sorted.size()));
    return std::chrono::duration<double, std::milli>(sorted[i]).count();
  }
  double elapsed_s() const {
    return done_at_.empty() ? 0 : std::chrono::duration<double>(done_at_.back()).count();
  }

  // The process's peak RSS in MiB since its exec (VmHWM). ru_maxrss of a
  // forked child would also count the parent's pages it started with.
  static double peak_rss_mb() {
    std::ifstream status("/proc/self/status");
    std::string line;
    while (std::getline(status, line)) {
      if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024.0;  // kB
    }
    return 0;
  }

  // The last stdout line of a child: "result key=value ...".
  std::string report(std::size_t torrents) const {
    std::ostringstream out;
    out << "result peak_rss_mb=" << peak_rss_mb() << ' ';
    out << "done=" << done() << " ok=" << ok() << " resolved=" << resolved_.size()
        << " torrents=" << torrents << " rate=" << rate() << " p50_ms=" << percentile_ms(0.5)
        << " p99_ms=" << percentile_ms(0.99) << " elapsed_s=" << elapsed_s();
    return out.str();
  }

 private:
  Clock::time_point start_;
  std::vector<Clock::duration> done_at_;
  std::vector<Clock::duration> latencies_;
  std::size_t ok_ = 0;
  std::map<std::size_t, bool> resolved_;
};

}  // namespace magnetar::bench
