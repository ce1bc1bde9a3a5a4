// A sans-I/O state machine for ONE incoming plaintext peer connection asking
// us for a torrent's metadata: the serving side of BEP 9, for keep-alive pins.
//
//   peer                                 us
//   handshake (extension bit) ------->   unknown infohash: close
//                             <-------   handshake (extension + fast bits)
//                             <-------   extension handshake (ut_metadata, metadata_size)
//                             <-------   have_none (BEP 6, if the peer set the fast bit)
//   extension handshake       ------->
//   ut_metadata request       ------->
//                             <-------   ut_metadata data, or reject when out of range
//   request (piece data)      ------->   close: we never serve pieces
//
// Without the fast extension we send no bitfield at all, which BEP 3 allows
// for a peer that has no pieces. Bytes are plaintext so an MSE layer can wrap
// the session. The caller writes take_output() and closes once finished().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "common/infohash.hpp"
#include "common/result.hpp"
#include "crawler/wire/handshake.hpp"
#include "crawler/wire/message_codec.hpp"
#include "crawler/wire/metadata_session.hpp"
#include "crawler/wire/metadata_source.hpp"
#include "crawler/wire/session_errors.hpp"
#include "crawler/wire/ut_metadata.hpp"

namespace magnetar::crawler::wire {

// ut_metadata requests answered on one connection: twice the pieces of the
// largest metadata, enough for a full fetch plus retries. A peer asking for
// more is looping and costs upload bandwidth for nothing.
inline constexpr std::size_t kMaxServedRequests = 2 * kMaxMetadataPieces;

struct MetadataServerConfig {
  PeerId peer_id;
  std::string client = "magnetar 0.1";  // our 'v'
  std::uint8_t ut_metadata_id = kLocalUtMetadataId;
  std::size_t max_served_requests = kMaxServedRequests;
};

class MetadataServerSession {
 public:
  // `source` must outlive the session.
  MetadataServerSession(MetadataSource& source, MetadataServerConfig config);

  // Plaintext bytes from the peer, in chunks of any size.
  void on_bytes(std::string_view bytes);
  // The caller's deadline passed: kTimeout.
  void on_deadline();
  // The peer closed the connection: kClosed (the normal end once served).
  void on_closed();

  // Bytes to send, moved out. Each answered request adds up to 16 KiB: the
  // caller should stop reading while output is pending, which bounds the
  // buffer by the socket's pace.
  std::string take_output() { return std::move(output_); }
  bool has_output() const { return !output_.empty(); }

  // True once the connection should be closed; close_reason() says why.
  bool finished() const { return close_reason_.has_value(); }
  const std::optional<SessionErrc>& close_reason() const { return close_reason_; }
  const std::optional<Error>& cause() const { return cause_; }

  // The infohash the peer asked for, once its handshake is in.
  const std::optional<InfoHashV1>& info_hash() const { return info_hash_; }
  std::size_t pieces_served() const { return pieces_served_; }
  std::size_t requests_rejected() const { return requests_rejected_; }

 private:
  void on_message(const Message& m);
  void on_ut_metadata(std::string_view payload);
  void close(SessionErrc reason, std::optional<Error> cause = std::nullopt);

  MetadataSource& source_;
  MetadataServerConfig config_;
  std::string handshake_buffer_;
  bool handshake_done_ = false;
  MessageReader reader_{kMaxMessageLength, kMaxBufferedMessageLength};
  std::string output_;
  std::optional<InfoHashV1> info_hash_;
  std::shared_ptr<const std::string> metadata_;
  std::uint8_t peer_ut_metadata_id_ = 0;
  std::size_t requests_ = 0;
  std::size_t pieces_served_ = 0;
  std::size_t requests_rejected_ = 0;
  std::optional<SessionErrc> close_reason_;
  std::optional<Error> cause_;
};

}  // namespace magnetar::crawler::wire
