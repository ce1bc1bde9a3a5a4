// Fetches torrents' info dicts from peers (BEP 3/10/9, MSE, BEP 11 PEX) on ONE
// boost::asio io_context: the socket loop around MetadataSession.
//
// Each fetch connects to up to `connections_per_fetch` of its candidates at
// once; every connection runs its own MetadataSession (which verifies the
// assembled dict against the infohash). The first verified dict wins and the
// fetch's other connections are closed. When a connection fails, the next
// candidate is tried; peers learned from PEX join the candidates (bounded).
// A peer that closes before its handshake gets one more connection (in the
// other MSE mode when the policy has one, else after kRefusedRetryDelay).
// When every candidate failed, the callback gets the most informative reason
// seen (a hash mismatch says more than a timeout).
//
// Bounded: connections in flight (globally and per remote IP) wait in a
// queue for a slot; a connection holds no read buffer while waiting (reads
// go through one buffer shared by all connections of the thread); every
// connection has a handshake deadline (connect to the peer's extension
// handshake, MSE included) and an idle deadline (no new metadata piece).
// The DH group of MSE is prepared once per fetcher (dh_group.hpp).
//
// Every call must come from the io_context's thread (or before it runs).
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "crawler/wire/expected_info_hash.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/metadata_session.hpp"
#include "crawler/wire/mse_handshake.hpp"
#include "crawler/wire/mse_policy.hpp"

namespace magnetar::crawler::wire {

// Connections one fetch keeps open at once: most peers that have a torrent
// answer, so a few in parallel hide a dead one without flooding a swarm.
inline constexpr std::size_t kConnectionsPerFetch = 4;
// Endpoints one fetch may try (given + learned from PEX): bounds its memory
// and its lifetime (each try ends within the connection deadlines).
inline constexpr std::size_t kMaxCandidatesPerFetch = 64;
// Connections in flight to one IP address: politeness toward one host (and
// one NAT gateway), whatever the number of torrents it has.
inline constexpr std::size_t kMaxConnectionsPerIp = 8;
// Connections in flight in all: sockets are file descriptors.
inline constexpr std::size_t kMaxFetchConnections = 2'000;
// A peer that accepted the TCP connection but closed it before its
// BitTorrent handshake is tried once more (in the same mode) after this
// delay: a busy peer refuses that way and accepts a moment later. Long
// enough for a momentary overload to pass, short against the handshake
// deadline. (A TCP connect that failed is not retried: the kernel already
// retried the SYN, and a reset means nothing listens.) When the cause is
// known to be libtorrent's MSE bug (MseInitiator::secret_has_leading_zero),
// the retry goes at once.
inline constexpr std::chrono::milliseconds kRefusedRetryDelay{250};

struct MetadataFetcherConfig {
  EncryptionPolicy encryption = EncryptionPolicy::kPreferPlaintext;
  std::size_t max_connections = kMaxFetchConnections;
  std::size_t max_connections_per_ip = kMaxConnectionsPerIp;
  std::size_t connections_per_fetch = kConnectionsPerFetch;
  std::size_t max_candidates_per_fetch = kMaxCandidatesPerFetch;
  std::chrono::milliseconds handshake_deadline = kHandshakeDeadline;
  std::chrono::milliseconds idle_deadline = kIdleDeadline;
  std::chrono::milliseconds refused_retry_delay = kRefusedRetryDelay;
  // Whether we ask peers for ut_pex and try the peers they name.
  bool use_pex = true;
  // Zero: a random "-MG0001-" peer id is made at construction.
  PeerId peer_id;
  std::string client = "magnetar 0.1";
  // Padding of our MSE key message (0 to 512): random bytes that only hide
  // the message length, so less of it is cheaper at the same security.
  std::size_t mse_max_pad = kMsePadMax;
};

// The info dict (verified against the infohash), or why not: a SessionErrc,
// an MseErrc or a FetchErrc.
using FetchCallback = std::function<void(Result<std::string>)>;

struct MetadataFetcherStats {
  std::uint64_t fetches_started = 0;
  std::uint64_t fetches_succeeded = 0;
  std::uint64_t fetches_failed = 0;
  std::uint64_t connections_started = 0;
  std::uint64_t fallback_retries = 0;  // reconnects in the other MSE mode
  std::uint64_t refused_retries = 0;   // reconnects after a close before the handshake
  std::uint64_t pex_candidates = 0;    // endpoints learned from PEX and added
  std::size_t active_fetches = 0;
  std::size_t open_connections = 0;
  std::size_t queued_connections = 0;  // waiting for a global or per-IP slot
};

class MetadataFetcher {
 public:
  MetadataFetcher(boost::asio::io_context& io, MetadataFetcherConfig config = {});
  ~MetadataFetcher();  // stop()
  MetadataFetcher(const MetadataFetcher&) = delete;
  MetadataFetcher& operator=(const MetadataFetcher&) = delete;

  // Starts a fetch. `done` runs once, on the io_context's thread, never from
  // inside this call. Candidates beyond max_candidates_per_fetch and
  // duplicates are dropped.
  void fetch(ExpectedInfoHash target, std::vector<boost::asio::ip::tcp::endpoint> candidates,
             FetchCallback done);
  void fetch(const InfoHashes& hashes, std::vector<boost::asio::ip::tcp::endpoint> candidates,
             FetchCallback done) {
    fetch(ExpectedInfoHash::from_hashes(hashes), std::move(candidates), std::move(done));
  }

  // Closes every connection and completes every pending fetch with
  // FetchErrc::kCancelled (later fetches too). The callbacks are posted to
  // the io_context, never run from inside stop(). Idempotent.
  void stop();

  MetadataFetcherStats stats() const;
  const MetadataFetcherConfig& config() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace magnetar::crawler::wire
