// An owned bencode value, for building messages and for round-trip tests.
// Dicts are std::map, so encoding one is canonical (keys sorted, unique).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <variant>
#include <vector>

#include "common/bencode_decoder.hpp"

namespace magnetar::bencode {

struct Value;
using List = std::vector<Value>;
using Dict = std::map<std::string, Value, std::less<>>;

struct Value {
  std::variant<std::int64_t, std::string, List, Dict> v;

  Value() : v(std::int64_t{0}) {}
  Value(std::int64_t i) : v(i) {}
  Value(int i) : v(std::int64_t{i}) {}
  Value(std::string s) : v(std::move(s)) {}
  Value(const char* s) : v(std::string(s)) {}
  Value(List l) : v(std::move(l)) {}
  Value(Dict d) : v(std::move(d)) {}

  friend bool operator==(const Value&, const Value&) = default;
};

// Copies a decoded value. Of duplicate dict keys the first is kept.
Value to_value(const Node& node);

}  // namespace magnetar::bencode
