#include "common/torrent_file.hpp"

#include <algorithm>
#include <utility>

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "common/magnet.hpp"

namespace magnetar::metainfo {
namespace {

using bencode::Node;

void add_unique(std::vector<std::string>& list, std::string_view s) {
  if (s.empty() || std::find(list.begin(), list.end(), s) != list.end()) return;
  list.emplace_back(s);
}

std::vector<std::string> unique(const std::vector<std::string>& in) {
  std::vector<std::string> out;
  for (const auto& s : in) add_unique(out, s);
  return out;
}

std::optional<std::string> find_text(Node dict, std::string_view key) {
  if (auto s = dict.find_string(key)) return std::string(*s);
  return std::nullopt;
}

}  // namespace

Result<TorrentFile> parse_torrent_file(std::string_view bytes, const InfoDictLimits& limits) {
  if (bytes.size() > kMaxTorrentFileSize) return Error(Errc::kTooLarge, kMaxTorrentFileSize);
  bencode::DecodeLimits decode_limits;
  decode_limits.max_size = kMaxTorrentFileSize;
  auto doc = bencode::decode(bytes, bencode::Mode::kLenient, decode_limits);
  if (!doc) return doc.error();
  const Node root = doc->root();
  if (!root.is_dict()) return Error(Errc::kNotADict, 0);

  const auto info_node = root.find("info");
  if (!info_node) return Error(Errc::kMissingInfo, 0);
  if (!info_node->is_dict()) return Error(Errc::kNotADict, info_node->offset());
  auto info = parse_info_dict(info_node->raw(), limits);
  if (!info) {
    Error e = info.error();
    if (e.has_offset()) e.offset += info_node->offset();
    return e;
  }

  TorrentFile out;
  out.info = std::move(info).value();
  if (auto a = root.find_string("announce")) add_unique(out.trackers, *a);
  if (auto tiers = root.find_list("announce-list")) {
    for (Node tier : tiers->items()) {
      if (tier.is_string()) {  // some writers flatten the tiers
        add_unique(out.trackers, tier.string());
        continue;
      }
      if (!tier.is_list()) continue;
      for (Node url : tier.items()) {
        if (url.is_string()) add_unique(out.trackers, url.string());
      }
    }
  }
  if (auto urls = root.find("url-list")) {
    if (urls->is_string()) add_unique(out.web_seeds, urls->string());
    if (urls->is_list()) {
      for (Node url : urls->items()) {
        if (url.is_string()) add_unique(out.web_seeds, url.string());
      }
    }
  }
  if (auto layers = root.find("piece layers")) {
    if (!layers->is_dict()) return Error(Errc::kInvalidPieceLayers, layers->offset());
    out.piece_layers = std::string(layers->raw());
  }
  out.creation_date = root.find_int("creation date");
  out.comment = find_text(root, "comment");
  out.created_by = find_text(root, "created by");
  return out;
}

std::string make_torrent_file(std::string_view info_raw, const std::vector<std::string>& trackers,
                              const std::vector<std::string>& web_seeds,
                              std::optional<std::string_view> piece_layers_raw) {
  const auto tr = unique(trackers);
  const auto ws = unique(web_seeds);
  std::string out;
  out.reserve(info_raw.size() + (piece_layers_raw ? piece_layers_raw->size() : 0) + 256);
  bencode::Encoder enc(out);
  enc.dict();
  // Keys in ascending byte order (canonical bencode, BEP 3).
  if (!tr.empty()) {
    enc.string("announce").string(tr.front());
    enc.string("announce-list").list();
    for (const auto& t : tr) enc.list().string(t).end();  // one tier each keeps the order
    enc.end();
  }
  enc.string("info").raw(info_raw);
  if (piece_layers_raw) enc.string("piece layers").raw(*piece_layers_raw);
  if (!ws.empty()) {
    enc.string("url-list").list();
    for (const auto& w : ws) enc.string(w);
    enc.end();
  }
  enc.end();
  return out;
}

std::string magnet_from_info(const InfoDict& info, const std::vector<std::string>& trackers,
                             const std::vector<std::string>& web_seeds) {
  magnet::Magnet m;
  m.hashes = info.hashes;
  m.display_name = info.name_utf8 ? *info.name_utf8 : info.name;
  m.trackers = unique(trackers);
  m.web_seeds = unique(web_seeds);
  return magnet::format_magnet(m);
}

std::string magnet_from_torrent(const TorrentFile& torrent) {
  return magnet_from_info(torrent.info, torrent.trackers, torrent.web_seeds);
}

}  // namespace magnetar::metainfo
