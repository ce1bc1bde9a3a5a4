#include "crawler/wire/extension_handshake.hpp"

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "common/bencode_value.hpp"
#include "crawler/wire/wire_errors.hpp"

namespace magnetar::crawler::wire {
namespace {

// Bencode limits for an extension handshake: a real one is a few dozen
// values two levels deep. Bounding tokens bounds the decoder's memory for a
// message that may be up to kMaxMessageLength.
constexpr bencode::DecodeLimits kLimits{.max_depth = 16, .max_tokens = 4096};

}  // namespace

std::optional<std::uint8_t> ExtensionHandshake::id_of(std::string_view name) const {
  for (const auto& [n, id] : m) {
    if (n == name) {
      if (id == 0) return std::nullopt;
      return id;
    }
  }
  return std::nullopt;
}

Result<ExtensionHandshake> decode_extension_handshake(std::string_view payload) {
  auto doc = bencode::decode(payload, bencode::Mode::kLenient, kLimits);
  if (!doc) return Error(WireErrc::kMalformedExtensionHandshake, doc.error().offset);
  const bencode::Node root = doc->root();
  if (!root.is_dict()) return Error(WireErrc::kMalformedExtensionHandshake, 0);

  ExtensionHandshake h;
  if (auto m = root.find("m")) {
    if (!m->is_dict()) return Error(WireErrc::kMalformedExtensionHandshake, m->offset());
    if (m->size() > kMaxExtensionEntries) {
      return Error(WireErrc::kTooManyExtensions, m->offset());
    }
    for (const auto& [name, value] : m->entries()) {
      if (!value.is_int()) continue;  // BEP 10: ignore what we do not understand
      const std::int64_t id = value.integer();
      if (id < 0 || id > 255) return Error(WireErrc::kInvalidExtensionId, value.offset());
      bool seen = false;  // of duplicate names, the first counts
      for (const auto& entry : h.m) seen = seen || entry.first == name;
      if (!seen) h.m.emplace_back(std::string(name), static_cast<std::uint8_t>(id));
    }
  }
  if (auto size = root.find("metadata_size")) {
    if (!size->is_int() || size->integer() <= 0) {
      return Error(WireErrc::kInvalidMetadataSize, size->offset());
    }
    if (size->integer() > kMaxMetadataSize) {
      return Error(WireErrc::kMetadataTooLarge, size->offset());
    }
    h.metadata_size = size->integer();
  }
  if (auto v = root.find_string("v")) h.client = std::string(*v);
  if (auto reqq = root.find_int("reqq"); reqq && *reqq > 0) h.reqq = *reqq;
  if (auto ip = root.find_string("yourip"); ip && (ip->size() == 4 || ip->size() == 16)) {
    h.yourip = std::string(*ip);
  }
  if (auto p = root.find_int("p"); p && *p > 0 && *p <= 65535) {
    h.listen_port = static_cast<std::uint16_t>(*p);
  }
  return h;
}

std::string encode_extension_handshake(const ExtensionHandshake& h) {
  bencode::Dict d;
  bencode::Dict m;
  for (const auto& [name, id] : h.m) m.emplace(name, std::int64_t{id});
  d.emplace("m", std::move(m));
  if (h.metadata_size) d.emplace("metadata_size", *h.metadata_size);
  if (h.listen_port) d.emplace("p", std::int64_t{*h.listen_port});
  if (h.reqq) d.emplace("reqq", *h.reqq);
  if (h.client) d.emplace("v", *h.client);
  if (h.yourip) d.emplace("yourip", *h.yourip);
  return bencode::encode(bencode::Value(std::move(d)));
}

}  // namespace magnetar::crawler::wire
