#include "common/bencode_decoder.hpp"

#include <algorithm>
#include <cassert>
#include <limits>

namespace magnetar::bencode {

class Parser {
 public:
  Parser(std::string_view in, Mode mode, const DecodeLimits& limits)
      : in_(in), mode_(mode), limits_(limits) {}

  Result<Document> run(bool whole);

 private:
  struct Frame {
    std::uint32_t token;
    bool is_dict;
    bool expect_key;         // dicts: the next value is a key
    std::uint32_t last_key;  // dicts: token of the previous key, or kNoKey
  };
  static constexpr std::uint32_t kNoKey = std::numeric_limits<std::uint32_t>::max();

  // Records a non-canonical form; an error in strict mode.
  bool irregular(Errc what, std::size_t at, Irregularity bit);
  std::optional<Error> parse_integer();
  std::optional<Error> parse_string();
  std::optional<Error> note_in_parent();
  bool is_digit(std::size_t at) const { return in_[at] >= '0' && in_[at] <= '9'; }
  std::string_view string_data(std::uint32_t token) const {
    const auto& t = doc_.tokens_[token];
    return in_.substr(t.begin + t.count, t.end - t.begin - t.count);
  }

  std::string_view in_;
  Mode mode_;
  DecodeLimits limits_;
  Document doc_;
  std::vector<Frame> stack_;
  std::size_t pos_ = 0;
  std::optional<Error> strict_error_;
};

bool Parser::irregular(Errc what, std::size_t at, Irregularity bit) {
  if (mode_ == Mode::kStrict) {
    strict_error_ = Error(what, at);
    return false;
  }
  if (!doc_.first_irregularity_) doc_.first_irregularity_ = Error(what, at);
  doc_.irregularities_ |= bit;
  return true;
}

std::optional<Error> Parser::parse_integer() {
  const std::size_t start = pos_;
  std::size_t p = pos_ + 1;  // past 'i'
  const bool negative = p < in_.size() && in_[p] == '-';
  if (negative) ++p;
  const std::size_t digits = p;
  // Magnitude limit: INT64_MAX, or INT64_MAX + 1 for negatives.
  const std::uint64_t max_magnitude =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  std::uint64_t magnitude = 0;
  while (p < in_.size() && is_digit(p)) {
    const auto d = static_cast<std::uint64_t>(in_[p] - '0');
    if (magnitude > (max_magnitude - d) / 10) return Error(Errc::kIntegerOverflow, digits);
    magnitude = magnitude * 10 + d;
    ++p;
  }
  if (p >= in_.size()) return Error(Errc::kUnexpectedEnd, p);
  if (p == digits || in_[p] != 'e') return Error(Errc::kInvalidInteger, p);
  if (p - digits > 1 && in_[digits] == '0' &&
      !irregular(Errc::kLeadingZero, digits, kLeadingZeros)) {
    return strict_error_;
  }
  if (negative && magnitude == 0 && !irregular(Errc::kNegativeZero, start, kNegativeZeros)) {
    return strict_error_;
  }
  std::int64_t value;
  if (negative) {
    value = magnitude == max_magnitude ? std::numeric_limits<std::int64_t>::min()
                                       : -static_cast<std::int64_t>(magnitude);
  } else {
    value = static_cast<std::int64_t>(magnitude);
  }
  pos_ = p + 1;
  doc_.tokens_.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos_),
                          static_cast<std::uint32_t>(doc_.tokens_.size() + 1), 0, value,
                          Type::kInteger});
  return std::nullopt;
}

std::optional<Error> Parser::parse_string() {
  const std::size_t start = pos_;
  std::size_t p = pos_;
  std::uint64_t length = 0;
  while (p < in_.size() && is_digit(p)) {
    length = length * 10 + static_cast<std::uint64_t>(in_[p] - '0');
    if (length > limits_.max_size) return Error(Errc::kInvalidStringLength, start);
    ++p;
  }
  if (p >= in_.size()) return Error(Errc::kUnexpectedEnd, p);
  if (in_[p] != ':') return Error(Errc::kInvalidStringLength, p);
  if (p - start > 1 && in_[start] == '0' && !irregular(Errc::kLeadingZero, start, kLeadingZeros)) {
    return strict_error_;
  }
  const std::size_t data = p + 1;
  if (length > in_.size() - data) return Error(Errc::kUnexpectedEnd, in_.size());
  pos_ = data + length;
  doc_.tokens_.push_back({static_cast<std::uint32_t>(start), static_cast<std::uint32_t>(pos_),
                          static_cast<std::uint32_t>(doc_.tokens_.size() + 1),
                          static_cast<std::uint32_t>(data - start), 0, Type::kString});
  return std::nullopt;
}

// Called when a value is about to be added to the innermost open container.
std::optional<Error> Parser::note_in_parent() {
  if (stack_.empty()) return std::nullopt;
  Frame& f = stack_.back();
  auto& parent = doc_.tokens_[f.token];
  if (!f.is_dict) {
    ++parent.count;
    return std::nullopt;
  }
  if (!f.expect_key) {
    f.expect_key = true;
    return std::nullopt;
  }
  if (!is_digit(pos_)) return Error(Errc::kExpectedStringKey, pos_);
  ++parent.count;
  f.expect_key = false;
  return std::nullopt;
}

Result<Document> Parser::run(bool whole) {
  const std::size_t max_size =
      std::min<std::size_t>(limits_.max_size, std::numeric_limits<std::uint32_t>::max() - 1);
  if (in_.size() > max_size) {
    if (whole) return Error(Errc::kSizeLimit, max_size);
    in_ = in_.substr(0, max_size);  // a prefix value must end within the limit
  }
  doc_.tokens_.reserve(std::min<std::size_t>(in_.size() / 4 + 1, 4096));

  while (true) {
    if (pos_ >= in_.size()) return Error(Errc::kUnexpectedEnd, pos_);
    if (!stack_.empty() && in_[pos_] == 'e') {
      const Frame& f = stack_.back();
      if (f.is_dict && !f.expect_key) return Error(Errc::kExpectedValue, pos_);
      auto& t = doc_.tokens_[f.token];
      t.end = static_cast<std::uint32_t>(++pos_);
      t.next = static_cast<std::uint32_t>(doc_.tokens_.size());
      stack_.pop_back();
      if (stack_.empty()) break;
      continue;
    }
    if (doc_.tokens_.size() >= limits_.max_tokens) return Error(Errc::kTokenLimit, pos_);
    if (auto e = note_in_parent()) return *e;

    const char c = in_[pos_];
    const bool is_key = !stack_.empty() && stack_.back().is_dict && !stack_.back().expect_key;
    if (c == 'i') {
      if (auto e = parse_integer()) return *e;
    } else if (c >= '0' && c <= '9') {
      if (auto e = parse_string()) return *e;
      if (is_key) {
        Frame& f = stack_.back();
        const auto key = static_cast<std::uint32_t>(doc_.tokens_.size() - 1);
        if (f.last_key != kNoKey) {
          const auto prev = string_data(f.last_key);
          const auto cur = string_data(key);
          const auto at = doc_.tokens_[key].begin;
          if (cur == prev) {
            if (!irregular(Errc::kDuplicateKey, at, kDuplicateKeys)) return *strict_error_;
          } else if (cur < prev) {
            if (!irregular(Errc::kUnsortedKeys, at, kUnsortedKeys)) return *strict_error_;
          }
        }
        f.last_key = key;
      }
    } else if (c == 'l' || c == 'd') {
      if (stack_.size() >= limits_.max_depth) return Error(Errc::kDepthLimit, pos_);
      const auto token = static_cast<std::uint32_t>(doc_.tokens_.size());
      doc_.tokens_.push_back(
          {static_cast<std::uint32_t>(pos_), 0, 0, 0, 0, c == 'l' ? Type::kList : Type::kDict});
      stack_.push_back({token, c == 'd', true, kNoKey});
      ++pos_;
      continue;
    } else {
      return Error(Errc::kExpectedValue, pos_);
    }
    if (stack_.empty()) break;  // a lone scalar
  }

  if (whole && pos_ != in_.size()) return Error(Errc::kTrailingData, pos_);
  doc_.input_ = in_.substr(0, pos_);
  return std::move(doc_);
}

Result<Document> decode(std::string_view input, Mode mode, const DecodeLimits& limits) {
  return Parser(input, mode, limits).run(true);
}

Result<Document> decode_prefix(std::string_view input, Mode mode, const DecodeLimits& limits) {
  return Parser(input, mode, limits).run(false);
}

// ---- Node ----

std::int64_t Node::integer() const {
  assert(is_int());
  return tok().integer;
}

std::string_view Node::string() const {
  assert(is_string());
  const auto& t = tok();
  return {base_ + t.begin + t.count, t.end - t.begin - t.count};
}

std::size_t Node::size() const {
  assert(is_list() || is_dict());
  return tok().count;
}

ListRange Node::items() const {
  assert(is_list());
  return ListRange(tokens_, base_, index_ + 1, tok().count);
}

DictRange Node::entries() const {
  assert(is_dict());
  return DictRange(tokens_, base_, index_ + 1, tok().count);
}

ListRange::iterator ListRange::begin() const { return iterator(tokens_, base_, first_, count_); }
ListRange::iterator ListRange::end() const { return iterator(tokens_, base_, 0, 0); }
DictRange::iterator DictRange::begin() const { return iterator(tokens_, base_, first_, count_); }
DictRange::iterator DictRange::end() const { return iterator(tokens_, base_, 0, 0); }

std::optional<Node> Node::find(std::string_view key) const {
  if (!is_dict()) return std::nullopt;
  for (auto [k, v] : entries()) {
    if (k == key) return v;
  }
  return std::nullopt;
}

std::optional<std::int64_t> Node::find_int(std::string_view key) const {
  auto n = find(key);
  if (!n || !n->is_int()) return std::nullopt;
  return n->integer();
}

std::optional<std::string_view> Node::find_string(std::string_view key) const {
  auto n = find(key);
  if (!n || !n->is_string()) return std::nullopt;
  return n->string();
}

std::optional<Node> Node::find_list(std::string_view key) const {
  auto n = find(key);
  if (!n || !n->is_list()) return std::nullopt;
  return n;
}

std::optional<Node> Node::find_dict(std::string_view key) const {
  auto n = find(key);
  if (!n || !n->is_dict()) return std::nullopt;
  return n;
}

}  // namespace magnetar::bencode
