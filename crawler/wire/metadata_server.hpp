// Serves info dicts to incoming peers on ONE boost::asio io_context: the
// socket loop around MseResponder and MetadataServerSession, for keep-alive
// pins. A peer may connect in plaintext (unless the policy is kRequire) or
// with MSE; it gets our handshake, metadata_size, have_none and ut_metadata
// pieces; unknown infohashes and requests for piece data end the connection.
//
// Bounded: at most max_connections at once (the next ones are closed on
// accept), a handshake deadline from accept to the peer's handshake, an idle
// deadline without a served piece, and a cap on queued output (reading
// pauses while it is exceeded).
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

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/metadata_session.hpp"
#include "crawler/wire/metadata_source.hpp"
#include "crawler/wire/mse_handshake.hpp"
#include "crawler/wire/mse_policy.hpp"
#include "crawler/wire/mse_skey_index.hpp"

namespace magnetar::crawler::wire {

// Incoming connections served at once: each costs a socket and at most
// kMaxServerOutput of queued bytes.
inline constexpr std::size_t kMaxServerConnections = 512;
// Queued output per connection above which we stop reading requests: four
// metadata pieces, so a peer pipelining requests faster than it reads
// cannot make us buffer its whole metadata many times over.
inline constexpr std::size_t kMaxServerOutput = 4 * 16 * 1024;

struct MetadataServerOptions {
  // kRequire refuses plaintext handshakes; the others accept both.
  EncryptionPolicy encryption = EncryptionPolicy::kPreferPlaintext;
  std::size_t max_connections = kMaxServerConnections;
  std::chrono::milliseconds handshake_deadline = kHandshakeDeadline;
  std::chrono::milliseconds idle_deadline = kIdleDeadline;
  // Zero: a random "-MG0001-" peer id is made at construction.
  PeerId peer_id;
  std::string client = "magnetar 0.1";
  std::size_t mse_max_pad = kMsePadMax;
  // Where info dicts come from instead of the server's own in-memory store
  // (add/remove/serves are then unused): the keeper's pin cache on disk.
  // Both or neither; they must outlive the server.
  MetadataSource* source = nullptr;
  const MseSkeyIndex* skey_index = nullptr;
  // Called when a connection gets its first metadata piece, with the id it
  // asked for (the keeper's metadata_served counter: peers served).
  std::function<void(const InfoHashV1&)> on_served;
};

struct MetadataServerStats {
  std::uint64_t accepted = 0;
  std::uint64_t refused_over_limit = 0;
  std::uint64_t pieces_served = 0;
  std::uint64_t unknown_infohash = 0;
  std::uint64_t mse_connections = 0;
  std::size_t open_connections = 0;
};

class MetadataServer {
 public:
  MetadataServer(boost::asio::io_context& io, MetadataServerOptions options = {});
  ~MetadataServer();  // stop()
  MetadataServer(const MetadataServer&) = delete;
  MetadataServer& operator=(const MetadataServer&) = delete;

  // Binds and starts accepting (port 0 picks a free port). Fails with the
  // system error of bind or listen.
  Status listen(const boost::asio::ip::tcp::endpoint& endpoint);
  // The bound endpoint (after listen()).
  boost::asio::ip::tcp::endpoint local_endpoint() const;
  std::uint16_t port() const { return local_endpoint().port(); }

  // Serves `info_dict` under the ids of `hashes` from now on (see
  // MetadataStore::add for the checks); remove() stops serving it to new
  // connections.
  Status add(const InfoHashes& hashes, std::string info_dict);
  void remove(const InfoHashes& hashes);
  bool serves(const InfoHashV1& id) const;

  // Closes the listener and every connection. Idempotent.
  void stop();

  MetadataServerStats stats() const;

  struct Impl;

 private:
  std::shared_ptr<Impl> impl_;
};

}  // namespace magnetar::crawler::wire
