// The banned-content filter: keyword rules checked on a torrent's name and every
// file path. A torrent that matches is never stored and its infohash goes to the
// block list (the indexer's job). Rules come from rules/banned.toml (embedded)
// plus users' files, in the format documented in rules/README.md.
//
// Matching is on whole tokens (tokenizer.hpp), case-insensitive, so "pthc" does
// not fire inside "Depthcharge". A rule fires when each of its groups has a
// phrase in the same text (the name, or one path): combinations keep words that
// are also ordinary titles ("Lolita") from blocking on their own.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/classify/classifier.hpp"
#include "indexer/classify/load_error.hpp"
#include "indexer/classify/string_map.hpp"

namespace magnetar::indexer::classify {

// A rule needs one phrase from each group; more groups than this is a mistake.
inline constexpr std::size_t kMaxBannedGroups = 8;

struct BannedRule {
  std::string id;
  std::vector<std::vector<std::string>> groups;  // normalized phrases (normalize_phrase)
};

class BannedRules {
 public:
  static LoadResult<BannedRules> defaults();  // rules/banned.toml, embedded
  // The defaults, then each user file in order.
  static LoadResult<BannedRules> load(std::span<const std::filesystem::path> user_files);
  BannedRules() = default;

  LoadStatus add_toml(std::string_view text, std::string_view source);
  LoadStatus add_file(const std::filesystem::path& path);

  const std::map<std::string, BannedRule>& rules() const { return rules_; }

 private:
  std::map<std::string, BannedRule> rules_;  // by id: a later file's rule replaces it
};

struct BannedMatch {
  std::string rule_id;
  std::string phrase;  // the phrase of the rule's first group that matched
  bool in_name = true;
  std::size_t path_index = 0;  // files[path_index] when !in_name
};

class BannedFilter {
 public:
  explicit BannedFilter(const BannedRules& rules);

  // The first rule matching one text.
  std::optional<BannedMatch> check_text(std::string_view text) const;
  // The name, then every file path (all of them: the metadata size cap, 10 MiB,
  // bounds the work).
  std::optional<BannedMatch> check(std::string_view name, std::span<const FileEntry> files) const;

 private:
  struct Ref {
    std::uint32_t rule;
    std::uint8_t group;
  };
  std::vector<BannedRule> rules_;
  std::vector<std::uint32_t> full_masks_;
  StringMap<std::vector<Ref>> phrases_;
  StringMap<std::uint8_t> first_token_tokens_;
};

}  // namespace magnetar::indexer::classify
