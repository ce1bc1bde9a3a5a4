#include "crawler/wire/ut_metadata.hpp"

#include <algorithm>
#include <limits>

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

// A ut_metadata dict has three or four integer entries; a little headroom
// for keys other clients add. Bounds the decoder's work on hostile input.
constexpr bencode::DecodeLimits kLimits{.max_depth = 4, .max_tokens = 64};

std::string encode_header(UtMetadataType type, std::uint32_t piece,
                          std::optional<std::int64_t> total_size) {
  std::string out;
  bencode::Encoder e(out);
  e.dict().string("msg_type").integer(static_cast<std::int64_t>(type));
  e.string("piece").integer(piece);
  if (total_size) e.string("total_size").integer(*total_size);
  e.end();
  return out;
}

}  // namespace

std::size_t metadata_piece_count(std::size_t size) {
  return (size + kMetadataPieceSize - 1) / kMetadataPieceSize;
}

std::size_t metadata_piece_length(std::size_t size, std::size_t piece) {
  const std::size_t begin = piece * kMetadataPieceSize;
  return std::min(kMetadataPieceSize, size - begin);
}

Result<UtMetadataMessage> decode_ut_metadata(std::string_view payload) {
  auto doc = bencode::decode_prefix(payload, bencode::Mode::kLenient, kLimits);
  if (!doc) return Error(WireErrc::kMalformedUtMetadata, doc.error().offset);
  const bencode::Node root = doc->root();
  if (!root.is_dict()) return Error(WireErrc::kMalformedUtMetadata, 0);
  const auto type = root.find_int("msg_type");
  const auto piece = root.find_int("piece");
  if (!type) return Error(WireErrc::kMalformedUtMetadata, 0);
  if (!piece || *piece < 0) return Error(WireErrc::kMalformedUtMetadata, 0);
  if (static_cast<std::uint64_t>(*piece) > std::numeric_limits<std::uint32_t>::max()) {
    return Error(WireErrc::kPieceOutOfRange, root.find("piece")->offset());
  }
  UtMetadataMessage msg;
  msg.type = static_cast<UtMetadataType>(*type);
  msg.piece = static_cast<std::uint32_t>(*piece);
  const std::size_t dict_size = doc->input().size();
  const std::string_view rest = payload.substr(dict_size);
  switch (msg.type) {
    case UtMetadataType::kData: {
      const auto total = root.find("total_size");
      if (!total || !total->is_int()) return Error(WireErrc::kMalformedUtMetadata, 0);
      if (total->integer() <= 0) return Error(WireErrc::kInvalidMetadataSize, total->offset());
      if (total->integer() > kMaxMetadataSize) {
        return Error(WireErrc::kMetadataTooLarge, total->offset());
      }
      msg.total_size = total->integer();
      msg.data = rest;
      break;
    }
    default:
      // Bytes after a request or reject dict are ignored, as libtorrent
      // does; an unknown msg_type is decoded for the caller to ignore (BEP 9).
      break;
  }
  return msg;
}

std::string encode_ut_metadata_request(std::uint32_t piece) {
  return encode_header(UtMetadataType::kRequest, piece, std::nullopt);
}

std::string encode_ut_metadata_reject(std::uint32_t piece) {
  return encode_header(UtMetadataType::kReject, piece, std::nullopt);
}

std::string encode_ut_metadata_data(std::uint32_t piece, std::int64_t total_size,
                                    std::string_view data) {
  std::string out = encode_header(UtMetadataType::kData, piece, total_size);
  out += data;
  return out;
}

}  // namespace magnetar::crawler::wire
