#include "indexer/search/page_token.hpp"

#include <array>
#include <cstring>

#include "common/codec.hpp"
#include "indexer/search/search_errors.hpp"

namespace magnetar::search {
namespace {

// Bumped whenever the layout or the meaning of a key changes: old tokens are
// then refused as invalid rather than misread.
constexpr unsigned char kTokenVersion = 1;
constexpr std::size_t kTokenBytes = 1 + 8 + 8 + 20;

class Fnv1a {
 public:
  void bytes(std::string_view s) {
    for (unsigned char c : s) {
      h_ ^= c;
      h_ *= 0x100000001b3ULL;
    }
  }
  void number(std::int64_t v) {
    unsigned char b[8];
    for (int i = 0; i < 8; ++i)
      b[i] = static_cast<unsigned char>(static_cast<std::uint64_t>(v) >> (8 * i));
    bytes({reinterpret_cast<const char*>(b), 8});
  }
  // A field separator, so that ("ab","c") and ("a","bc") differ.
  void mark(char tag) { bytes({&tag, 1}); }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

void put_u64(std::string& out, std::uint64_t v) {
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>(v >> (8 * i)));
}

std::uint64_t get_u64(std::string_view in) {
  std::uint64_t v = 0;
  for (int i = 0; i < 8; ++i) v = (v << 8) | static_cast<unsigned char>(in[i]);
  return v;
}

}  // namespace

std::uint64_t request_fingerprint(const SearchSpec& spec) {
  Fnv1a h;
  h.mark('q');
  h.bytes(spec.query_text);
  h.mark('t');
  for (int t : spec.content_types) h.number(t);
  h.mark('s');
  h.number(spec.min_size.value_or(-1));
  h.number(spec.max_size.value_or(-1));
  h.mark('f');
  h.number(spec.first_seen_after ? spec.first_seen_after->time_since_epoch().count() : -1);
  h.number(spec.first_seen_before ? spec.first_seen_before->time_since_epoch().count() : -1);
  h.mark('y');
  for (int y : spec.years) h.number(y);
  h.mark('r');
  for (int r : spec.resolutions) h.number(r);
  h.mark('e');
  h.number(spec.season.value_or(-1));
  h.number(spec.episode.value_or(-1));
  h.mark('x');
  for (const auto& x : spec.extensions) {
    h.bytes(x);
    h.mark(',');
  }
  h.mark('o');
  h.number(static_cast<int>(spec.sort));
  h.number(spec.ascending ? 1 : 0);
  return h.value();
}

std::string encode_page_token(std::uint64_t fingerprint, const PagePosition& position) {
  std::string raw;
  raw.reserve(kTokenBytes);
  raw.push_back(static_cast<char>(kTokenVersion));
  put_u64(raw, fingerprint);
  put_u64(raw, static_cast<std::uint64_t>(position.key));
  raw.append(position.id.view());
  return to_hex(raw);
}

Result<PagePosition> decode_page_token(std::string_view token, std::uint64_t fingerprint) {
  const auto raw = from_hex(token);
  if (!raw || raw->size() != kTokenBytes ||
      static_cast<unsigned char>((*raw)[0]) != kTokenVersion) {
    return SearchErrc::kBadPageToken;
  }
  const std::string_view r = *raw;
  if (get_u64(r.substr(1)) != fingerprint) return SearchErrc::kPageTokenMismatch;
  PagePosition p;
  p.key = static_cast<std::int64_t>(get_u64(r.substr(9)));
  const auto id = InfoHashV1::from_bytes(r.substr(17));
  if (!id) return SearchErrc::kBadPageToken;
  p.id = *id;
  return p;
}

}  // namespace magnetar::search
