// Magnet URIs (BEP 9): parse untrusted text into a Magnet, and write a Magnet
// back in one canonical form.
//
//   magnet:?xt=urn:btih:<40 hex | 32 base32>      v1 infohash (BEP 9)
//          &xt=urn:btmh:1220<64 hex>              v2 infohash, sha2-256 multihash (BEP 52)
//          &dn=<name>&xl=<bytes>&tr=<tracker>&ws=<web seed (BEP 19)>
//          &x.pe=<host:port>&so=<file list (BEP 53)>
//
// Parsing rules (the same for every input, never throws):
//  - the scheme "magnet:" is matched case-insensitively and must be followed by '?';
//  - parameters are split on '&' only; empty ones ("&&", a trailing '&') are skipped;
//    a parameter without '=' has an empty value;
//  - keys and values are percent-decoded, '+' meaning a space (as browsers write
//    query strings); keys are matched case-sensitively, as BEP 9 writes them;
//  - a key with a ".<digits>" suffix ("xt.1", "tr.2", "x.pe.3") counts as its base key;
//  - xt values starting with urn:btih: or urn:btmh: (case-insensitive) must be valid
//    infohashes; other xt values (urn:ed2k:, urn:sha1:, ...) are kept in `unknown`;
//  - the same btih (or btmh) twice is fine, two different ones are an error: a magnet
//    naming several torrents is not supported;
//  - tr, ws and x.pe keep their order, exact duplicates and empty tr/ws are dropped;
//  - dn, xl and so repeated with the same value are fine, with a different value an
//    error (an empty dn counts as absent);
//  - everything else is kept in `unknown`, in order, keys and values decoded.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "common/infohash.hpp"
#include "common/magnet_errors.hpp"
#include "common/result.hpp"

namespace magnetar::magnet {

// Real magnets are a few hundred bytes; 64 KiB leaves room for long tracker lists
// and is about the longest URL browsers and clients pass around.
inline constexpr std::size_t kMaxUriLength = 64 * 1024;
// Bounds the work and the vectors one URI can cause; far above any real magnet.
inline constexpr std::size_t kMaxParams = 1000;

// A parsed magnet. parse_magnet() only returns values that satisfy these
// invariants, and format_magnet() then round-trips them exactly:
//  - hashes is not empty;
//  - trackers and web_seeds hold no empty string and no duplicate;
//  - peers are valid x.pe values (see is_valid_peer), without duplicates;
//  - select_only, when set, is valid for parse_select_only;
//  - unknown keys are not empty and are not dn, xl, tr, ws, x.pe, so (with or
//    without an index suffix); an unknown xt never starts with urn:btih:/urn:btmh:.
struct Magnet {
  // Every member has an initializer, so designated initializers may skip any.
  InfoHashes hashes{};
  std::string display_name{};  // dn: arbitrary bytes; empty when absent
  std::vector<std::string> trackers{};
  std::vector<std::string> web_seeds{};  // ws (BEP 19)
  std::optional<std::uint64_t> exact_length{};
  std::vector<std::string> peers{};          // x.pe: "host:port", IPv6 as "[addr]:port"
  std::optional<std::string> select_only{};  // so (BEP 53), e.g. "0,2,4-6"
  std::vector<std::pair<std::string, std::string>> unknown{};  // in order, decoded

  friend bool operator==(const Magnet&, const Magnet&) = default;
};

// Errors carry the byte offset in `uri` of the bad parameter's value (or of the
// bad '%' escape, or of the key), except kMissingInfoHash.
Result<Magnet> parse_magnet(std::string_view uri);

// magnet:?xt=urn:btih:<hex>&xt=urn:btmh:1220<hex>&dn=&xl=&tr=...&ws=...&x.pe=...&so=
// then the unknown parameters; keys and values percent-encoded, only RFC 3986
// unreserved characters left as they are.
std::string format_magnet(const Magnet& magnet);

// An inclusive range of file indices in a BEP 53 select-only list.
struct IndexRange {
  std::uint32_t first = 0;
  std::uint32_t last = 0;
  friend bool operator==(const IndexRange&, const IndexRange&) = default;
};

// "0,2,4-6" -> {0,0},{2,2},{4,6}. Elements are decimal indices (fitting in 32
// bits) or ranges "a-b" with a <= b; no empty elements, signs or spaces. Errors
// are kBadSelectOnly with the offset in `text`.
Result<std::vector<IndexRange>> parse_select_only(std::string_view text);

// x.pe syntax: "host:port", "a.b.c.d:port" or "[ipv6]:port", port 1-65535 without
// leading zeros; host an RFC 1123 name.
bool is_valid_peer(std::string_view peer);

}  // namespace magnetar::magnet
