// Announces to trackers over the network, on ONE boost::asio io_context: the
// socket loop around the HTTP (BEP 3) and UDP (BEP 15) codecs. http:// and
// udp:// only; https:// fails at once with kUnsupportedScheme (the keeper
// does not speak TLS to trackers, and logs a note).
//
// Each announce resolves the host, then: HTTP: one GET on a fresh TCP
// connection, the reply read until the tracker closes (bounded by
// kMaxTrackerReplyBytes); UDP: connect, then announce, on a fresh socket,
// each waiting `timeout` for the reply (no retransmit: the next scheduled
// announce is the retry). The whole announce is bounded by `timeout` per
// step. Every call must come from the io_context's thread.
#pragma once

#include <boost/asio/io_context.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "common/result.hpp"
#include "crawler/keeper/tracker_announce.hpp"

namespace magnetar::crawler::keeper {

// A tracker that has not answered a step (resolve, connect, request) within
// this is given up until the next announce (BEP 15's first timeout).
inline constexpr std::chrono::milliseconds kDefaultTrackerTimeout{15'000};

using TrackerCallback = std::function<void(Result<TrackerReply>)>;

struct TrackerClientStats {
  std::uint64_t started = 0;
  std::uint64_t succeeded = 0;  // a reply, failure_reason included
  std::uint64_t failed = 0;     // no usable reply
};

class TrackerClient {
 public:
  // `bind_address`: the local address our sockets use (the one peers reach
  // us at, so a tracker that records our packets' source records it); empty
  // or unspecified: the system's choice.
  explicit TrackerClient(boost::asio::io_context& io,
                         std::chrono::milliseconds timeout = kDefaultTrackerTimeout,
                         const std::string& bind_address = {});
  ~TrackerClient();  // stop()
  TrackerClient(const TrackerClient&) = delete;
  TrackerClient& operator=(const TrackerClient&) = delete;

  // `done` runs once on the io_context's thread, never from inside this call.
  void announce(const std::string& url, const TrackerAnnounce& announce, TrackerCallback done);
  // Cancels every announce in flight (their callbacks do not run). Idempotent.
  void stop();

  TrackerClientStats stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace magnetar::crawler::keeper
