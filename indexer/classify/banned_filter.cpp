#include "indexer/classify/banned_filter.hpp"

#include <toml++/toml.h>

#include <algorithm>

#include "indexer/classify/embedded_rules.hpp"
#include "indexer/classify/rules_toml.hpp"
#include "indexer/classify/tokenizer.hpp"

namespace magnetar::indexer::classify {
namespace {

LoadError make_error(Errc code, std::string_view source, const toml::node& at, std::string detail) {
  return LoadError{make_error_code(code), std::string(source), at.source().begin.line,
                   at.source().begin.column, std::move(detail)};
}

std::optional<LoadError> phrase_list(const toml::node& node, std::string_view source,
                                     std::string_view what, std::vector<std::string>& out) {
  const auto* array = node.as_array();
  if (!array)
    return make_error(Errc::kWrongType, source, node,
                      "'" + std::string(what) + "' must be an array of strings");
  for (const toml::node& item : *array) {
    const auto* s = item.as_string();
    if (!s)
      return make_error(Errc::kWrongType, source, item,
                        "'" + std::string(what) + "' must hold strings only");
    std::string key = normalize_phrase(s->get());
    if (key.empty())
      return make_error(Errc::kBadValue, source, item,
                        "\"" + s->get() + "\" has no letters or digits");
    if (static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1 > kMaxPhraseTokens) {
      return make_error(Errc::kBadValue, source, item,
                        "\"" + s->get() + "\" has more than 8 tokens");
    }
    out.push_back(std::move(key));
  }
  if (out.empty())
    return make_error(Errc::kBadValue, source, node, "'" + std::string(what) + "' is empty");
  return std::nullopt;
}

std::optional<LoadError> parse_rule(const toml::table& table, std::string_view source,
                                    std::map<std::string, BannedRule>& rules) {
  BannedRule rule;
  bool remove = false, has_id = false;
  for (auto&& [key, value] : table) {
    const std::string_view k = key.str();
    if (k == "id") {
      const auto* s = value.as_string();
      if (!s || s->get().empty())
        return make_error(Errc::kWrongType, source, value, "'id' must be a non-empty string");
      rule.id = s->get();
      has_id = true;
    } else if (k == "words") {
      std::vector<std::string> group;
      if (auto e = phrase_list(value, source, k, group)) return e;
      rule.groups.push_back(std::move(group));
    } else if (k == "all") {
      const auto* array = value.as_array();
      if (!array)
        return make_error(Errc::kWrongType, source, value,
                          "'all' must be an array of arrays of strings");
      for (const toml::node& item : *array) {
        std::vector<std::string> group;
        if (auto e = phrase_list(item, source, "all", group)) return e;
        rule.groups.push_back(std::move(group));
      }
    } else if (k == "remove") {
      const auto* b = value.as_boolean();
      if (!b) return make_error(Errc::kWrongType, source, value, "'remove' must be true or false");
      remove = b->get();
    } else {
      return make_error(
          Errc::kUnknownKey, source, value,
          "unknown key '" + std::string(k) + "' in [[rules]] (expected id, words, all, remove)");
    }
  }
  if (!has_id) return make_error(Errc::kMissingKey, source, table, "[[rules]] without 'id'");
  if (remove) {
    rules.erase(rule.id);
    return std::nullopt;
  }
  if (rule.groups.empty())
    return make_error(Errc::kMissingKey, source, table,
                      "rule '" + rule.id + "' has neither 'words' nor 'all'");
  if (rule.groups.size() > kMaxBannedGroups) {
    return make_error(Errc::kBadValue, source, table,
                      "rule '" + rule.id + "' has more than 8 groups");
  }
  rules[rule.id] = std::move(rule);
  return std::nullopt;
}

}  // namespace

LoadResult<BannedRules> BannedRules::defaults() {
  return load_rule_set<BannedRules>(embedded_banned_rules(), "banned.toml", {});
}

LoadResult<BannedRules> BannedRules::load(std::span<const std::filesystem::path> user_files) {
  return load_rule_set<BannedRules>(embedded_banned_rules(), "banned.toml", user_files);
}

LoadStatus BannedRules::add_toml(std::string_view text, std::string_view source) {
  auto parsed = parse_rules_toml(text, source);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  auto rules = rules_;
  try {
    for (auto&& [key, node] : root) {
      const std::string_view k = key.str();
      if (k == "version") {
        const auto* v = node.as_integer();
        if (!v || v->get() != 1) {
          return make_error(Errc::kUnsupportedVersion, source, node, "'version' must be 1");
        }
      } else if (k == "rules") {
        const auto* array = node.as_array();
        if (!array)
          return make_error(Errc::kWrongType, source, node,
                            "'rules' must be an array of tables ([[rules]])");
        for (const toml::node& item : *array) {
          const auto* table = item.as_table();
          if (!table)
            return make_error(Errc::kWrongType, source, item, "items of 'rules' must be tables");
          if (auto e = parse_rule(*table, source, rules)) return *e;
        }
      } else {
        return make_error(
            Errc::kUnknownKey, source, node,
            "unknown top-level key '" + std::string(k) + "' (expected version, rules)");
      }
    }
  } catch (const std::exception& e) {  // std::bad_alloc only
    return LoadError{make_error_code(Errc::kBadValue), std::string(source), 0, 0, e.what()};
  }
  rules_ = std::move(rules);
  return Ok{};
}

LoadStatus BannedRules::add_file(const std::filesystem::path& path) {
  auto text = read_rules_file(path);
  if (!text) return text.error();
  return add_toml(*text, path.string());
}

BannedFilter::BannedFilter(const BannedRules& rules) {
  for (const auto& [id, rule] : rules.rules()) rules_.push_back(rule);
  for (std::size_t r = 0; r < rules_.size(); ++r) {
    full_masks_.push_back((1u << rules_[r].groups.size()) - 1);
    for (std::size_t g = 0; g < rules_[r].groups.size(); ++g) {
      for (const std::string& phrase : rules_[r].groups[g]) {
        phrases_[phrase].push_back(
            Ref{static_cast<std::uint32_t>(r), static_cast<std::uint8_t>(g)});
        const auto tokens =
            static_cast<std::uint8_t>(std::count(phrase.begin(), phrase.end(), ' ') + 1);
        auto& longest = first_token_tokens_[phrase.substr(0, phrase.find(' '))];
        longest = std::max(longest, tokens);
      }
    }
  }
}

std::optional<BannedMatch> BannedFilter::check_text(std::string_view text) const {
  if (rules_.empty()) return std::nullopt;
  std::string lowered;
  lower_ascii(text, lowered);
  std::vector<Token> tokens;
  // Every token: a banned word must not hide past a bound (the metadata cap bounds the text).
  tokenize(lowered, tokens, lowered.size());
  // Rules touched in this text, with the groups seen so far and the first phrase.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> masks;  // rule, mask
  std::vector<std::string_view> first_phrase;
  std::string key;
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    if (!tokens[i].run_start) continue;
    const std::string_view first =
        std::string_view(lowered).substr(tokens[i].begin, tokens[i].end - tokens[i].begin);
    auto it = first_token_tokens_.find(first);
    if (it == first_token_tokens_.end()) continue;
    const std::size_t longest = std::min<std::size_t>(it->second, tokens.size() - i);
    key.clear();
    for (std::size_t count = 1; count <= longest; ++count) {
      const Token& t = tokens[i + count - 1];
      if (count > 1) key += ' ';
      key.append(lowered, t.begin, t.end - t.begin);
      if (!t.run_end) continue;
      auto p = phrases_.find(std::string_view(key));
      if (p == phrases_.end()) continue;
      for (const Ref& ref : p->second) {
        auto m = std::find_if(masks.begin(), masks.end(),
                              [&](const auto& e) { return e.first == ref.rule; });
        if (m == masks.end()) {
          masks.emplace_back(ref.rule, 0);
          first_phrase.emplace_back();
          m = masks.end() - 1;
        }
        auto& phrase = first_phrase[static_cast<std::size_t>(m - masks.begin())];
        if (ref.group == 0 && phrase.empty()) phrase = p->first;
        m->second |= 1u << ref.group;
        if (m->second == full_masks_[ref.rule]) {
          BannedMatch match;
          match.rule_id = rules_[ref.rule].id;
          match.phrase = std::string(phrase.empty() ? std::string_view(p->first) : phrase);
          return match;
        }
      }
    }
  }
  return std::nullopt;
}

std::optional<BannedMatch> BannedFilter::check(std::string_view name,
                                               std::span<const FileEntry> files) const {
  if (auto m = check_text(name)) return m;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (auto m = check_text(files[i].path)) {
      m->in_name = false;
      m->path_index = i;
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace magnetar::indexer::classify
