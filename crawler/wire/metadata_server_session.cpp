#include "crawler/wire/metadata_server_session.hpp"

#include <algorithm>
#include <utility>

#include "crawler/wire/extension_handshake.hpp"
#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {

MetadataServerSession::MetadataServerSession(MetadataSource& source, MetadataServerConfig config)
    : source_(source), config_(std::move(config)) {}

void MetadataServerSession::on_bytes(std::string_view bytes) {
  if (finished()) return;
  if (!handshake_done_) {
    const std::size_t take = std::min(bytes.size(), kHandshakeSize - handshake_buffer_.size());
    handshake_buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    auto decoded = decode_handshake(handshake_buffer_);
    if (!decoded) return close(SessionErrc::kBadHandshake, decoded.error());
    if (!*decoded) return;  // need more
    const Handshake peer = **decoded;
    handshake_buffer_ = std::string();
    handshake_done_ = true;
    info_hash_ = peer.info_hash;
    metadata_ = source_.find(peer.info_hash);
    if (!metadata_) return close(SessionErrc::kUnknownInfohash);
    // Without BEP 10 the peer cannot ask for metadata, and pieces we never serve.
    if (!peer.reserved.extension_protocol()) return close(SessionErrc::kNoExtensionProtocol);

    Handshake ours;
    ours.reserved.set_extension_protocol().set_fast_extension();
    ours.info_hash = peer.info_hash;
    ours.peer_id = config_.peer_id;
    append_handshake(ours, output_);
    ExtensionHandshake ext;
    ext.m.emplace_back(std::string(kUtMetadata), config_.ut_metadata_id);
    ext.metadata_size = static_cast<std::int64_t>(metadata_->size());
    ext.client = config_.client;
    append_extended(output_, kExtensionHandshakeId, encode_extension_handshake(ext));
    // BEP 6: with the fast extension on both sides, say we have no pieces.
    if (peer.reserved.fast_extension()) append_have_none(output_);
  }
  reader_.feed(bytes);
  while (!finished()) {
    auto next = reader_.next();
    if (!next) {
      const bool too_large = next.error().code == make_error_code(WireErrc::kMessageTooLarge);
      return close(too_large ? SessionErrc::kMessageTooLarge : SessionErrc::kProtocolError,
                   next.error());
    }
    if (!*next) return;
    on_message(**next);
  }
}

void MetadataServerSession::on_message(const Message& m) {
  if (m.keep_alive) return;
  if (m.skipped) {
    // A client's large bitfield is skipped; no extended message we answer is that long.
    if (m.id != static_cast<std::uint8_t>(MessageId::kExtended)) return;
    return close(SessionErrc::kMessageTooLarge, Error(WireErrc::kMessageTooLarge));
  }
  if (m.id == static_cast<std::uint8_t>(MessageId::kRequest)) {
    // We announced no pieces; asking for one is a protocol violation, and we
    // never serve piece data anyway.
    return close(SessionErrc::kPieceRequested);
  }
  if (m.id != static_cast<std::uint8_t>(MessageId::kExtended)) return;  // interested, ...
  if (m.payload.empty()) return close(SessionErrc::kProtocolError);
  const auto id = static_cast<std::uint8_t>(m.payload[0]);
  const std::string_view payload = m.payload.substr(1);
  if (id == kExtensionHandshakeId) {
    auto ext = decode_extension_handshake(payload);
    if (!ext) return close(SessionErrc::kProtocolError, ext.error());
    // Repeated handshakes update the id (BEP 10); 0 disables the extension.
    peer_ut_metadata_id_ = ext->id_of(kUtMetadata).value_or(0);
    return;
  }
  if (id == config_.ut_metadata_id) return on_ut_metadata(payload);
  // Other extensions (ut_pex, ...) are not ours to answer.
}

void MetadataServerSession::on_ut_metadata(std::string_view payload) {
  auto msg = decode_ut_metadata(payload);
  if (!msg) return close(SessionErrc::kProtocolError, msg.error());
  if (msg->type != UtMetadataType::kRequest) return;  // data, reject, unknown: ignored
  if (++requests_ > config_.max_served_requests) return close(SessionErrc::kTooManyRequests);
  // The answer goes under the peer's id; without one we cannot answer.
  if (peer_ut_metadata_id_ == 0) return;
  const std::size_t size = metadata_->size();
  if (msg->piece >= metadata_piece_count(size)) {
    append_extended(output_, peer_ut_metadata_id_, encode_ut_metadata_reject(msg->piece));
    ++requests_rejected_;
    return;
  }
  const std::size_t begin = std::size_t{msg->piece} * kMetadataPieceSize;
  const std::string_view piece =
      std::string_view(*metadata_).substr(begin, metadata_piece_length(size, msg->piece));
  append_extended(output_, peer_ut_metadata_id_,
                  encode_ut_metadata_data(msg->piece, static_cast<std::int64_t>(size), piece));
  ++pieces_served_;
}

void MetadataServerSession::on_deadline() {
  if (!finished()) close(SessionErrc::kTimeout);
}

void MetadataServerSession::on_closed() {
  if (!finished()) close(SessionErrc::kClosed);
}

void MetadataServerSession::close(SessionErrc reason, std::optional<Error> cause) {
  close_reason_ = reason;
  cause_ = std::move(cause);
  reader_ = MessageReader();
  handshake_buffer_ = std::string();
}

}  // namespace magnetar::crawler::wire
