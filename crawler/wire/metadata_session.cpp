#include "crawler/wire/metadata_session.hpp"

#include <algorithm>
#include <utility>

#include "crawler/wire/pex.hpp"
#include "crawler/wire/ut_metadata.hpp"
#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {

MetadataSession::MetadataSession(ExpectedInfoHash target, MetadataSessionConfig config)
    : config_(std::move(config)), target_(std::move(target)) {
  Handshake ours;
  ours.reserved.set_extension_protocol();
  ours.info_hash = target_.id();
  ours.peer_id = config_.peer_id;
  append_handshake(ours, output_);
}

void MetadataSession::on_bytes(std::string_view bytes) {
  if (finished()) return;
  if (phase_ == Phase::kAwaitHandshake) {
    const std::size_t take = std::min(bytes.size(), kHandshakeSize - handshake_buffer_.size());
    handshake_buffer_.append(bytes.substr(0, take));
    bytes.remove_prefix(take);
    auto decoded = decode_handshake(handshake_buffer_);
    if (!decoded) return fail(SessionErrc::kBadHandshake, decoded.error());
    if (!*decoded) return;  // need more
    const Handshake& peer = **decoded;
    peer_handshake_ = peer;
    handshake_buffer_ = std::string();
    if (peer.info_hash != target_.id()) return fail(SessionErrc::kInfohashMismatch);
    if (!peer.reserved.extension_protocol()) return fail(SessionErrc::kNoExtensionProtocol);

    // BEP 10: our extension handshake, only to a peer that set the bit.
    ExtensionHandshake ext;
    ext.m.emplace_back(std::string(kUtMetadata), config_.ut_metadata_id);
    if (config_.ut_pex_id != 0) ext.m.emplace_back(std::string(kUtPex), config_.ut_pex_id);
    ext.client = config_.client;
    ext.reqq = static_cast<std::int64_t>(config_.max_outstanding_requests);
    ext.listen_port = config_.listen_port;
    append_extended(output_, kExtensionHandshakeId, encode_extension_handshake(ext));
    phase_ = Phase::kAwaitExtensionHandshake;
  }
  reader_.feed(bytes);
  while (!finished()) {
    auto next = reader_.next();
    if (!next) {
      const bool too_large = next.error().code == make_error_code(WireErrc::kMessageTooLarge);
      return fail(too_large ? SessionErrc::kMessageTooLarge : SessionErrc::kProtocolError,
                  next.error());
    }
    if (!*next) return;
    on_message(**next);
  }
}

void MetadataSession::on_message(const Message& m) {
  if (m.keep_alive) return;
  if (m.skipped) {
    // A large bitfield is of no use to us and was skipped; no extended
    // message we understand is that long.
    if (m.id != static_cast<std::uint8_t>(MessageId::kExtended)) return;
    return fail(SessionErrc::kMessageTooLarge, Error(WireErrc::kMessageTooLarge));
  }
  // Everything but extended messages (bitfield, have, choke, ...) is of no
  // use for metadata and ignored.
  if (m.id != static_cast<std::uint8_t>(MessageId::kExtended)) return;
  if (m.payload.empty()) return fail(SessionErrc::kProtocolError);
  on_extended(static_cast<std::uint8_t>(m.payload[0]), m.payload.substr(1));
}

void MetadataSession::on_extended(std::uint8_t id, std::string_view payload) {
  if (id == kExtensionHandshakeId) return on_extension_handshake(payload);
  // Extended messages reach us under OUR ids (BEP 10).
  if (id == config_.ut_metadata_id) return on_ut_metadata(payload);
  if (config_.ut_pex_id != 0 && id == config_.ut_pex_id) return on_pex(payload);
}

void MetadataSession::on_extension_handshake(std::string_view payload) {
  // BEP 10 allows repeated handshakes to update settings; only the first
  // decides what we fetch.
  if (phase_ != Phase::kAwaitExtensionHandshake) return;
  auto decoded = decode_extension_handshake(payload);
  if (!decoded) {
    const std::error_code code = decoded.error().code;
    if (code == make_error_code(WireErrc::kMetadataTooLarge)) {
      return fail(SessionErrc::kTooLarge, decoded.error());
    }
    if (code == make_error_code(WireErrc::kInvalidMetadataSize)) {
      // metadata_size 0 or negative: the peer has no metadata to give.
      return fail(SessionErrc::kNoMetadataSize, decoded.error());
    }
    return fail(SessionErrc::kProtocolError, decoded.error());
  }
  peer_extensions_ = std::move(*decoded);
  const auto ut_metadata = peer_extensions_->id_of(kUtMetadata);
  if (!ut_metadata) return fail(SessionErrc::kNoUtMetadata);
  if (!peer_extensions_->metadata_size) return fail(SessionErrc::kNoMetadataSize);
  // Cannot fail: the decoder checked metadata_size against the same bounds.
  auto assembler = MetadataAssembler::create(*peer_extensions_->metadata_size, target_);
  if (!assembler) return fail(SessionErrc::kTooLarge, assembler.error());
  assembler_.emplace(std::move(*assembler));
  peer_ut_metadata_id_ = *ut_metadata;
  window_ = std::max<std::size_t>(1, config_.max_outstanding_requests);
  if (peer_extensions_->reqq) {
    window_ = std::min<std::size_t>(window_, static_cast<std::size_t>(*peer_extensions_->reqq));
  }
  phase_ = Phase::kFetching;
  send_requests();
}

void MetadataSession::send_requests() {
  while (assembler_->outstanding() < window_) {
    const auto piece = assembler_->next_request();
    if (!piece) return;
    append_extended(output_, peer_ut_metadata_id_, encode_ut_metadata_request(*piece));
  }
}

void MetadataSession::on_ut_metadata(std::string_view payload) {
  auto msg = decode_ut_metadata(payload);
  if (!msg) return fail(SessionErrc::kProtocolError, msg.error());
  switch (msg->type) {
    case UtMetadataType::kRequest:
      // We are fetching, so we have nothing to give. Answer only once we
      // know the peer's id for ut_metadata.
      if (peer_ut_metadata_id_ != 0) {
        append_extended(output_, peer_ut_metadata_id_, encode_ut_metadata_reject(msg->piece));
      }
      return;
    case UtMetadataType::kReject:
      if (phase_ != Phase::kFetching) return fail(SessionErrc::kProtocolError);
      return fail(SessionErrc::kRejected);
    case UtMetadataType::kData: {
      if (phase_ != Phase::kFetching) return fail(SessionErrc::kProtocolError);
      auto added = assembler_->add_piece(msg->piece, *msg->total_size, msg->data);
      if (!added) return fail(SessionErrc::kProtocolError, added.error());
      if (!assembler_->complete()) return send_requests();
      auto info = assembler_->finish();
      if (!info) return fail(SessionErrc::kHashMismatch, info.error());
      metadata_ = std::move(*info);
      phase_ = Phase::kDone;
      reader_ = MessageReader();  // free the buffer now; nothing more is read
      return;
    }
  }
  // Another msg_type: ignored (BEP 9).
}

void MetadataSession::on_pex(std::string_view payload) {
  // A bad PEX message costs the peers it carried, not the fetch.
  auto msg = decode_pex(payload);
  if (!msg) return;
  const std::size_t first = peers_.size();
  for (const PexPeer& p : msg->added) {
    if (peers_.size() >= kMaxPexPeersPerSession) return;
    if (p.endpoint.port == 0) continue;
    if (std::find(peers_.begin() + first, peers_.end(), p.endpoint) != peers_.end()) continue;
    peers_.push_back(p.endpoint);
  }
}

void MetadataSession::on_deadline() {
  if (!finished()) fail(SessionErrc::kTimeout);
}

void MetadataSession::on_closed() {
  if (finished()) return;
  fail(phase_ == Phase::kAwaitHandshake ? SessionErrc::kRefused : SessionErrc::kClosed);
}

void MetadataSession::fail(SessionErrc reason, std::optional<Error> cause) {
  phase_ = Phase::kFailed;
  failure_ = reason;
  cause_ = std::move(cause);
  assembler_.reset();
  reader_ = MessageReader();
  handshake_buffer_ = std::string();
}

Result<std::string> MetadataSession::take_result() {
  if (failure_) return Error(*failure_);
  if (metadata_) {
    std::string out = std::move(*metadata_);
    metadata_.reset();
    return out;
  }
  // Not finished, or the metadata was already taken.
  return Error(SessionErrc::kProtocolError);
}

}  // namespace magnetar::crawler::wire
