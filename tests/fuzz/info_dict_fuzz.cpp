// libFuzzer target: parse_info_dict on arbitrary bytes (what a peer may send
// as BEP 9 metadata). It must never crash, and a dict it accepts must satisfy
// the invariants below; a violation aborts.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "common/magnet.hpp"
#include "common/metainfo.hpp"
#include "common/sha.hpp"
#include "common/torrent_file.hpp"

namespace {

using magnetar::metainfo::InfoDict;
using magnetar::metainfo::Version;

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

bool component_ok(std::string_view c) {
  return !c.empty() && c != "." && c != ".." && c.find('/') == std::string_view::npos;
}

void check_invariants(const InfoDict& info, std::string_view raw) {
  check(info.raw == raw, "raw kept exactly");
  check(!info.hashes.empty(), "at least one infohash");
  check(info.hashes.v1.has_value() == (info.version != Version::kV2), "v1 hash iff v1 or hybrid");
  check(info.hashes.v2.has_value() == (info.version != Version::kV1), "v2 hash iff v2 or hybrid");
  if (info.hashes.v1) check(*info.hashes.v1 == magnetar::InfoHashV1(magnetar::sha1(raw)), "sha1");
  if (info.hashes.v2) {
    check(*info.hashes.v2 == magnetar::InfoHashV2(magnetar::sha256(raw)), "sha256");
  }
  check(info.piece_length > 0, "piece length positive");
  check(component_ok(info.name), "name is a safe component");

  std::int64_t total = 0;
  std::int64_t v1_end = 0;
  std::size_t count = 0;
  std::int64_t last_offset = 0;
  for (const auto& f : info.files) {
    check(f.length >= 0, "length not negative");
    check(f.offset >= last_offset, "offsets ascending");
    last_offset = f.offset;
    v1_end = f.offset + f.length;
    for (const auto& c : f.path) check(component_ok(c), "safe path component");
    if (f.pad()) continue;
    check(!f.path.empty(), "content files have a path");
    if (info.version != Version::kV1 && f.length > 0) check(f.pieces_root.has_value(), "root");
    total += f.length;
    ++count;
  }
  check(total == info.total_size, "total size is the sum of file sizes");
  check(count == info.file_count && count > 0, "file count");
  if (info.version != Version::kV2) {
    check(info.v1_piece_hashes().size() == static_cast<std::size_t>(info.piece_count) * 20,
          "20 bytes per v1 piece");
    const std::int64_t expected =
        v1_end / info.piece_length + (v1_end % info.piece_length != 0 ? 1 : 0);
    check(info.piece_count == expected, "v1 piece count covers the files");
  }
}

// A .torrent written around an accepted dict loads back with the same dict,
// and its magnet parses back to the same hashes.
void check_round_trips(const InfoDict& info) {
  const std::string made =
      magnetar::metainfo::make_torrent_file(info.raw, {"http://t.example/a"}, {"http://w/"});
  auto torrent = magnetar::metainfo::parse_torrent_file(made);
  check(torrent.ok(), "made .torrent parses");
  check(torrent->info.raw == info.raw, "info dict spliced byte for byte");
  check(torrent->info.hashes == info.hashes, "same hashes from the .torrent");
  check(torrent->trackers.size() == 1 && torrent->web_seeds.size() == 1, "trackers kept");
  auto magnet = magnetar::magnet::parse_magnet(magnetar::metainfo::magnet_from_torrent(*torrent));
  check(magnet.ok(), "magnet parses");
  check(magnet->hashes == info.hashes, "magnet hashes");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view raw(reinterpret_cast<const char*>(data), size);
  auto info = magnetar::metainfo::parse_info_dict(raw);
  if (info.ok()) {
    check_invariants(*info, raw);
    check_round_trips(*info);
  }
  // The same bytes as a whole .torrent: must not crash either.
  (void)magnetar::metainfo::parse_torrent_file(raw);
  return 0;
}
