// What the two rules loaders (Rules: default.toml and users' classify rules;
// BannedRules: banned.toml and users' banned lists) share before their own
// formats begin: reading a file within a size bound, parsing TOML without letting
// toml++'s exceptions escape, and "the embedded defaults, then each user file".
// Only their .cpp files include this (it pulls in toml++).
#pragma once

#include <toml++/toml.h>

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "indexer/classify/load_error.hpp"

namespace magnetar::indexer::classify {

// A rules file is a few hundred kilobytes at most; refuse to read a huge file by mistake.
inline constexpr std::uintmax_t kMaxRulesFileBytes = 16 * 1024 * 1024;

// The document, or a kSyntax error at toml++'s line and column. `source` names
// the document in errors (a path, or "default.toml" for the embedded rules).
LoadResult<toml::table> parse_rules_toml(std::string_view text, std::string_view source);

// The file's bytes, or a kIo error naming the path (missing, unreadable, or
// larger than kMaxRulesFileBytes, checked before reading).
LoadResult<std::string> read_rules_file(const std::filesystem::path& path);

// `defaults` (named `defaults_source` in errors), then each user file in order,
// stopping at the first error. RuleSet has add_toml(text, source) and
// add_file(path), both returning LoadStatus.
template <class RuleSet>
LoadResult<RuleSet> load_rule_set(std::string_view defaults, std::string_view defaults_source,
                                  std::span<const std::filesystem::path> user_files) {
  RuleSet rules;
  if (auto status = rules.add_toml(defaults, defaults_source); !status) return status.error();
  for (const auto& path : user_files) {
    if (auto status = rules.add_file(path); !status) return status.error();
  }
  return rules;
}

}  // namespace magnetar::indexer::classify
