// Bounded, zero-copy bencode decoder (BEP 3).
//
// decode() turns bytes into a Document: a flat array of tokens that point
// into the caller's buffer, which must outlive the Document and its Nodes.
// Every Node keeps the raw byte span of its value, so an infohash is always
// the hash of the info dict's bytes exactly as received (BEP 3, BEP 52).
//
// Real info dicts contain non-canonical bencode (unsorted or duplicate keys,
// "i03e", "i-0e", "03:abc"). Mode::kLenient accepts these and reports them on
// the Document; Mode::kStrict rejects them with their own error codes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <iterator>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "common/bencode_errors.hpp"
#include "common/result.hpp"

namespace magnetar::bencode {

enum class Type : std::uint8_t { kInteger, kString, kList, kDict };

enum class Mode { kLenient, kStrict };

struct DecodeLimits {
  // Same as libtorrent's bdecode defaults, so both accept the same real data.
  // A BEP 52 file tree nests two levels per path component.
  std::size_t max_depth = 100;
  std::size_t max_tokens = 2'000'000;
  // Offsets are 32-bit; info dicts are capped at 10 MiB by the peer wire (BEP 9).
  std::size_t max_size = 256u << 20;
};

// Non-canonical forms found by a lenient decode, as a bit set.
enum Irregularity : std::uint32_t {
  kNone = 0,
  kUnsortedKeys = 1u << 0,
  kDuplicateKeys = 1u << 1,
  kLeadingZeros = 1u << 2,
  kNegativeZeros = 1u << 3,
};

namespace detail {
struct Token {
  std::uint32_t begin;  // offset of the first raw byte
  std::uint32_t end;    // one past the last raw byte
  std::uint32_t next;   // index of the token after this value's subtree
  std::uint32_t count;  // list: items; dict: key/value pairs; string: header length ("12:")
  std::int64_t integer;
  Type type;
};
}  // namespace detail

class Node;

// Iterates the items of a list.
class ListRange {
 public:
  class iterator;
  ListRange(const detail::Token* t, const char* base, std::uint32_t first, std::uint32_t count)
      : tokens_(t), base_(base), first_(first), count_(count) {}
  iterator begin() const;
  iterator end() const;

 private:
  const detail::Token* tokens_;
  const char* base_;
  std::uint32_t first_;
  std::uint32_t count_;
};

// Iterates the (key, value) pairs of a dict, in the order they were received.
class DictRange {
 public:
  class iterator;
  DictRange(const detail::Token* t, const char* base, std::uint32_t first, std::uint32_t count)
      : tokens_(t), base_(base), first_(first), count_(count) {}
  iterator begin() const;
  iterator end() const;

 private:
  const detail::Token* tokens_;
  const char* base_;
  std::uint32_t first_;
  std::uint32_t count_;
};

// A view of one decoded value. Cheap to copy; valid while its Document and
// the input buffer live. Accessors of the wrong type assert.
class Node {
 public:
  Node(const detail::Token* tokens, const char* base, std::uint32_t index)
      : tokens_(tokens), base_(base), index_(index) {}

  Type type() const { return tok().type; }
  bool is_int() const { return type() == Type::kInteger; }
  bool is_string() const { return type() == Type::kString; }
  bool is_list() const { return type() == Type::kList; }
  bool is_dict() const { return type() == Type::kDict; }

  // The value's bytes exactly as received, e.g. "d3:fooi1ee".
  std::string_view raw() const { return {base_ + tok().begin, tok().end - tok().begin}; }
  // Offset of the value's first byte in the input.
  std::uint32_t offset() const { return tok().begin; }

  std::int64_t integer() const;
  std::string_view string() const;
  // Items of a list, or key/value pairs of a dict.
  std::size_t size() const;
  ListRange items() const;
  DictRange entries() const;

  // Dict lookup: the first entry with this key (linear; dicts are small).
  std::optional<Node> find(std::string_view key) const;
  std::optional<std::int64_t> find_int(std::string_view key) const;
  std::optional<std::string_view> find_string(std::string_view key) const;
  std::optional<Node> find_list(std::string_view key) const;
  std::optional<Node> find_dict(std::string_view key) const;

  friend bool operator==(const Node& a, const Node& b) {
    return a.tokens_ == b.tokens_ && a.index_ == b.index_;
  }

 private:
  const detail::Token& tok() const { return tokens_[index_]; }

  const detail::Token* tokens_;
  const char* base_;
  std::uint32_t index_;
};

class ListRange::iterator {
 public:
  using value_type = Node;
  using difference_type = std::ptrdiff_t;
  iterator() = default;
  iterator(const detail::Token* t, const char* b, std::uint32_t i, std::uint32_t left)
      : tokens_(t), base_(b), index_(i), left_(left) {}
  Node operator*() const { return Node(tokens_, base_, index_); }
  iterator& operator++() {
    index_ = tokens_[index_].next;
    --left_;
    return *this;
  }
  iterator operator++(int) {
    auto old = *this;
    ++*this;
    return old;
  }
  bool operator==(const iterator& o) const { return left_ == o.left_; }

 private:
  const detail::Token* tokens_ = nullptr;
  const char* base_ = nullptr;
  std::uint32_t index_ = 0;
  std::uint32_t left_ = 0;
};

class DictRange::iterator {
 public:
  using value_type = std::pair<std::string_view, Node>;
  using difference_type = std::ptrdiff_t;
  iterator() = default;
  iterator(const detail::Token* t, const char* b, std::uint32_t i, std::uint32_t left)
      : tokens_(t), base_(b), index_(i), left_(left) {}
  value_type operator*() const {
    return {Node(tokens_, base_, index_).string(), Node(tokens_, base_, index_ + 1)};
  }
  iterator& operator++() {
    index_ = tokens_[index_ + 1].next;  // the key is a single token
    --left_;
    return *this;
  }
  iterator operator++(int) {
    auto old = *this;
    ++*this;
    return old;
  }
  bool operator==(const iterator& o) const { return left_ == o.left_; }

 private:
  const detail::Token* tokens_ = nullptr;
  const char* base_ = nullptr;
  std::uint32_t index_ = 0;
  std::uint32_t left_ = 0;
};

class Document {
 public:
  Node root() const { return Node(tokens_.data(), input_.data(), 0); }
  // The bytes the document was decoded from (only the value, for decode_prefix).
  std::string_view input() const { return input_; }
  std::size_t token_count() const { return tokens_.size(); }
  // Non-canonical forms seen (lenient mode), and where the first one was.
  std::uint32_t irregularities() const { return irregularities_; }
  bool canonical() const { return irregularities_ == kNone; }
  const std::optional<Error>& first_irregularity() const { return first_irregularity_; }

 private:
  friend class Parser;
  std::string_view input_;
  std::vector<detail::Token> tokens_;
  std::uint32_t irregularities_ = kNone;
  std::optional<Error> first_irregularity_;
};

// Decodes exactly one value that spans the whole input.
Result<Document> decode(std::string_view input, Mode mode = Mode::kLenient,
                        const DecodeLimits& limits = {});

// Decodes one value at the start of the input and leaves what follows, as in
// a BEP 9 ut_metadata data message (a dict followed by the piece bytes).
// The value's length is doc.input().size().
Result<Document> decode_prefix(std::string_view input, Mode mode = Mode::kLenient,
                               const DecodeLimits& limits = {});

}  // namespace magnetar::bencode
