// A hash map from std::string keys that is searched with std::string_view (C++20
// heterogeneous lookup), so hot paths look tokens up without allocating.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace magnetar::indexer::classify {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

}  // namespace magnetar::indexer::classify
