// A sans-I/O state machine for ONE outgoing plaintext peer connection that
// fetches a torrent's metadata (BEP 3 handshake, BEP 10 extension handshake,
// BEP 9 ut_metadata), reading BEP 11 PEX on the way.
//
// The caller owns the socket and the clock: it writes what take_output()
// returns, hands received bytes to on_bytes(), reports a passed deadline with
// on_deadline() and a closed connection with on_closed(), and closes the
// connection once finished(). Bytes are plaintext, so an MSE layer (BEP 8
// obfuscation) can sit between the socket and the session.
//
//   us                                   peer
//   handshake (extension bit) ------->
//                             <-------   handshake (extension bit?)
//   extension handshake       ------->
//                             <-------   extension handshake (ut_metadata id, metadata_size)
//   ut_metadata request x N   ------->   (N <= max outstanding, under the PEER's id)
//                             <-------   ut_metadata data / reject, ut_pex
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"
#include "crawler/wire/expected_info_hash.hpp"
#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/message_codec.hpp"
#include "crawler/wire/metadata_assembler.hpp"
#include "crawler/wire/peer_endpoint.hpp"
#include "crawler/wire/session_errors.hpp"

namespace magnetar::crawler::wire {

// The ids under which WE receive extension messages (BEP 10 lets each side
// pick its own; these are libtorrent's, which makes captures easy to read).
inline constexpr std::uint8_t kLocalUtPexId = 1;
inline constexpr std::uint8_t kLocalUtMetadataId = 2;

// ut_metadata requests in flight on one connection. Real metadata has 1 to a
// few dozen pieces; libtorrent queues or rejects requests beyond its send
// buffer, so a small window keeps the pipe full without provoking rejects.
// Lowered further to the peer's 'reqq' when it advertises one.
inline constexpr std::size_t kMaxOutstandingRequests = 8;

// PEX peers kept per connection until the caller takes them: a peer sending
// ut_pex messages in a loop costs at most this much memory.
inline constexpr std::size_t kMaxPexPeersPerSession = 1000;

// Deadlines the socket loop should apply (time stays outside the state
// machine). From connect to the peer's extension handshake: real peers
// answer within a few seconds or never.
inline constexpr std::chrono::seconds kHandshakeDeadline{10};
// Without a received message while fetching: a slowloris is cut here.
inline constexpr std::chrono::seconds kIdleDeadline{15};

struct MetadataSessionConfig {
  PeerId peer_id;
  std::string client = "magnetar 0.1";  // our 'v'
  std::uint8_t ut_metadata_id = kLocalUtMetadataId;
  std::uint8_t ut_pex_id = kLocalUtPexId;  // 0: do not ask for PEX
  std::size_t max_outstanding_requests = kMaxOutstandingRequests;
  std::optional<std::uint16_t> listen_port;  // our 'p', if we accept connections
};

class MetadataSession {
 public:
  enum class Phase {
    kAwaitHandshake,           // our handshake is queued; waiting for the peer's
    kAwaitExtensionHandshake,  // waiting for the peer's BEP 10 handshake
    kFetching,                 // ut_metadata requests in flight
    kDone,                     // metadata received and verified
    kFailed,
  };

  MetadataSession(ExpectedInfoHash target, MetadataSessionConfig config);

  // Plaintext bytes from the peer, in chunks of any size.
  void on_bytes(std::string_view bytes);
  // The caller's deadline passed: fails with kTimeout unless finished.
  void on_deadline();
  // The connection closed or could not be made: kRefused before the peer's
  // handshake, kClosed after it (unless finished).
  void on_closed();

  // Bytes to send, moved out (the first call returns our handshake).
  std::string take_output() { return std::move(output_); }
  bool has_output() const { return !output_.empty(); }

  // Peers learned from ut_pex since the last call (port 0 and duplicates
  // within one message dropped).
  std::vector<PeerEndpoint> take_peers() { return std::move(peers_); }

  Phase phase() const { return phase_; }
  bool finished() const { return phase_ == Phase::kDone || phase_ == Phase::kFailed; }
  // Once finished: the verified info dict bytes (moved out, once), or an
  // Error with a SessionErrc code.
  Result<std::string> take_result();
  // The codec-level cause of a failure (a WireErrc with its offset), when
  // there is one; e.g. kTotalSizeMismatch behind kProtocolError.
  const std::optional<Error>& cause() const { return cause_; }

  const std::optional<Handshake>& peer_handshake() const { return peer_handshake_; }
  const std::optional<ExtensionHandshake>& peer_extensions() const { return peer_extensions_; }
  // Metadata pieces received so far.
  std::size_t pieces_received() const { return assembler_ ? assembler_->received() : 0; }

 private:
  void on_message(const Message& m);
  void on_extended(std::uint8_t id, std::string_view payload);
  void on_extension_handshake(std::string_view payload);
  void on_ut_metadata(std::string_view payload);
  void on_pex(std::string_view payload);
  void send_requests();
  void fail(SessionErrc reason, std::optional<Error> cause = std::nullopt);

  MetadataSessionConfig config_;
  Phase phase_ = Phase::kAwaitHandshake;
  std::string handshake_buffer_;  // the peer's handshake, until complete
  MessageReader reader_{kMaxMessageLength, kMaxBufferedMessageLength};
  std::string output_;
  std::optional<Handshake> peer_handshake_;
  std::optional<ExtensionHandshake> peer_extensions_;
  std::uint8_t peer_ut_metadata_id_ = 0;
  std::size_t window_ = 0;  // requests allowed in flight
  ExpectedInfoHash target_;
  std::optional<MetadataAssembler> assembler_;
  std::vector<PeerEndpoint> peers_;
  std::optional<std::string> metadata_;
  std::optional<SessionErrc> failure_;
  std::optional<Error> cause_;
};

}  // namespace magnetar::crawler::wire
