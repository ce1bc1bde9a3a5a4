#include "indexer/classify/rules.hpp"

#include <toml++/toml.h>

#include <algorithm>

#include "indexer/classify/embedded_rules.hpp"
#include "indexer/classify/rules_toml.hpp"
#include "indexer/classify/tokenizer.hpp"

namespace magnetar::indexer::classify {
namespace {

// The only format version so far; a file may omit it.
constexpr std::int64_t kFormatVersion = 1;
// Weights and scores are small numbers; a huge one is a typo (and could reach inf).
constexpr double kMaxAbsNumber = 1e6;

constexpr std::array<std::string_view, kFieldCount> kFieldNames = {
    "",         "resolution", "source", "video_codec", "audio",
    "language", "flag",       "group",  "platform",    "bitrate",
};

constexpr std::array<std::string_view, 15> kRoleNames = {
    "_",   "season", "season_end", "episode",   "episode_end", "year",    "year_end", "month",
    "day", "height", "width",      "bit_depth", "sample_rate", "bitrate", "version",
};

std::optional<Field> field_from_string(std::string_view name) {
  for (std::size_t i = 1; i < kFieldNames.size(); ++i) {
    if (kFieldNames[i] == name) return static_cast<Field>(i);
  }
  return std::nullopt;
}

// Parses one document into a Rules, reporting the first error.
class Parser {
 public:
  Parser(std::string_view source, Settings& settings,
         std::array<FieldDefaults, kFieldCount>& fields, std::map<std::string, Term>& terms,
         std::vector<ShapeRule>& shapes, std::map<std::string, std::string>& extensions,
         std::map<std::string, TypeWeights>& groups)
      : source_(source),
        settings_(settings),
        fields_(fields),
        terms_(terms),
        shapes_(shapes),
        extensions_(extensions),
        groups_(groups) {}

  std::optional<LoadError> run(const toml::table& root) {
    for (auto&& [key, node] : root) {
      const std::string_view k = key.str();
      std::optional<LoadError> e;
      if (k == "version") {
        e = version(node);
      } else if (k == "settings") {
        e = settings(node);
      } else if (k == "fields") {
        e = fields(node);
      } else if (k == "terms") {
        e = array_of_tables(node, "terms", [this](const toml::table& t) { return term(t); });
      } else if (k == "shapes") {
        e = array_of_tables(node, "shapes", [this](const toml::table& t) { return shape(t); });
      } else if (k == "extensions") {
        e = extensions(node);
      } else {
        e = error(Errc::kUnknownKey, node,
                  "unknown top-level key '" + std::string(k) +
                      "' (expected version, settings, fields, terms, shapes, extensions)");
      }
      if (e) return e;
    }
    return std::nullopt;
  }

 private:
  LoadError error(Errc code, const toml::node& at, std::string detail) const {
    return LoadError{code, std::string(source_), at.source().begin.line, at.source().begin.column,
                     std::move(detail)};
  }

  std::optional<LoadError> version(const toml::node& node) {
    const auto* v = node.as_integer();
    if (!v) return error(Errc::kWrongType, node, "'version' must be an integer");
    if (v->get() != kFormatVersion) {
      return error(
          Errc::kUnsupportedVersion, node,
          "version " + std::to_string(v->get()) + " is not supported (this build reads 1)");
    }
    return std::nullopt;
  }

  template <class F>
  std::optional<LoadError> array_of_tables(const toml::node& node, std::string_view what, F each) {
    const auto* array = node.as_array();
    if (!array) {
      return error(
          Errc::kWrongType, node,
          "'" + std::string(what) + "' must be an array of tables ([[" + std::string(what) + "]])");
    }
    for (const toml::node& item : *array) {
      const auto* table = item.as_table();
      if (!table)
        return error(Errc::kWrongType, item, "items of '" + std::string(what) + "' must be tables");
      if (auto e = each(*table)) return e;
    }
    return std::nullopt;
  }

  std::optional<LoadError> number(const toml::node& node, std::string_view what, double& out) {
    if (const auto* i = node.as_integer()) {
      out = static_cast<double>(i->get());
    } else if (const auto* f = node.as_floating_point()) {
      out = f->get();
    } else {
      return error(Errc::kWrongType, node, "'" + std::string(what) + "' must be a number");
    }
    if (!(out > -kMaxAbsNumber && out < kMaxAbsNumber)) {
      return error(Errc::kBadValue, node, "'" + std::string(what) + "' is out of range");
    }
    return std::nullopt;
  }

  std::optional<LoadError> string(const toml::node& node, std::string_view what, std::string& out) {
    const auto* s = node.as_string();
    if (!s) return error(Errc::kWrongType, node, "'" + std::string(what) + "' must be a string");
    out = s->get();
    return std::nullopt;
  }

  std::optional<LoadError> boolean(const toml::node& node, std::string_view what, bool& out) {
    const auto* b = node.as_boolean();
    if (!b)
      return error(Errc::kWrongType, node, "'" + std::string(what) + "' must be true or false");
    out = b->get();
    return std::nullopt;
  }

  std::optional<LoadError> strings(const toml::node& node, std::string_view what,
                                   std::vector<std::pair<std::string, const toml::node*>>& out) {
    const auto* array = node.as_array();
    if (!array)
      return error(Errc::kWrongType, node,
                   "'" + std::string(what) + "' must be an array of strings");
    for (const toml::node& item : *array) {
      const auto* s = item.as_string();
      if (!s)
        return error(Errc::kWrongType, item, "'" + std::string(what) + "' must hold strings only");
      out.emplace_back(s->get(), &item);
    }
    return std::nullopt;
  }

  std::optional<LoadError> weights(const toml::node& node, TypeWeights& out) {
    const auto* table = node.as_table();
    if (!table)
      return error(Errc::kWrongType, node, "'weights' must be a table: { video = 3, game = 1.5 }");
    for (auto&& [key, value] : *table) {
      double w = 0;
      if (auto e = number(value, key.str(), w)) return e;
      const std::string_view name = key.str();
      if (name == "video") {
        out[ContentType::kVideoMovie] = static_cast<float>(w);
        out[ContentType::kVideoEpisode] = static_cast<float>(w);
      } else if (auto type = content_type_from_string(name);
                 type && *type != ContentType::kUnknown) {
        out[*type] = static_cast<float>(w);
      } else {
        return error(
            Errc::kBadValue, value,
            "unknown content type '" + std::string(name) + "' in weights (expected video, " +
                "video_movie, video_episode, audio_music, audiobook, ebook, comic, software, " +
                "game, image, archive or xxx)");
      }
    }
    return std::nullopt;
  }

  std::optional<LoadError> boundary(const toml::node& node, Boundary& out) {
    std::string s;
    if (auto e = string(node, "boundary", s)) return e;
    if (s == "strong") {
      out = Boundary::kStrong;
    } else if (s == "weak") {
      out = Boundary::kWeak;
    } else if (s == "none") {
      out = Boundary::kNone;
    } else {
      return error(Errc::kBadValue, node,
                   "'boundary' must be \"strong\", \"weak\" or \"none\", not \"" + s + "\"");
    }
    return std::nullopt;
  }

  std::optional<LoadError> field(const toml::node& node, Field& out) {
    std::string s;
    if (auto e = string(node, "field", s)) return e;
    auto f = field_from_string(s);
    if (!f) {
      return error(Errc::kBadValue, node,
                   "unknown field '" + s + "' (expected resolution, source, video_codec, audio, " +
                       "language, flag, group, platform or bitrate)");
    }
    out = *f;
    return std::nullopt;
  }

  std::optional<LoadError> settings(const toml::node& node) {
    const auto* table = node.as_table();
    if (!table) return error(Errc::kWrongType, node, "'settings' must be a table");
    for (auto&& [key, value] : *table) {
      const std::string_view k = key.str();
      double n = 0;
      if (k == "year_min" || k == "year_max") {
        const auto* i = value.as_integer();
        if (!i || i->get() < 1800 || i->get() > 2200) {
          return error(Errc::kBadValue, value,
                       "'" + std::string(k) + "' must be an integer year (1800-2200)");
        }
        (k == "year_min" ? settings_.year_min : settings_.year_max) = static_cast<int>(i->get());
      } else if (k == "min_score") {
        if (auto e = number(value, k, n)) return e;
        settings_.min_score = static_cast<float>(n);
      } else if (k == "file_episode_weight") {
        if (auto e = number(value, k, n)) return e;
        settings_.file_episode_weight = static_cast<float>(n);
      } else if (k == "priority") {
        std::vector<std::pair<std::string, const toml::node*>> names;
        if (auto e = strings(value, k, names)) return e;
        std::vector<ContentType> priority;
        for (auto& [name, at] : names) {
          auto type = content_type_from_string(name);
          if (!type)
            return error(Errc::kBadValue, *at, "unknown content type '" + name + "' in priority");
          priority.push_back(*type);
        }
        settings_.priority = std::move(priority);
      } else {
        return error(Errc::kUnknownKey, value,
                     "unknown key '" + std::string(k) +
                         "' in [settings] (expected year_min, year_max, min_score, "
                         "file_episode_weight, priority)");
      }
    }
    if (settings_.year_min > settings_.year_max) {
      return error(Errc::kBadValue, node, "year_min is after year_max");
    }
    return std::nullopt;
  }

  std::optional<LoadError> fields(const toml::node& node) {
    const auto* table = node.as_table();
    if (!table)
      return error(Errc::kWrongType, node, "'fields' must be a table of [fields.<name>] tables");
    for (auto&& [key, value] : *table) {
      auto f = field_from_string(key.str());
      if (!f)
        return error(Errc::kUnknownKey, value,
                     "unknown field '" + std::string(key.str()) + "' in [fields]");
      const auto* body = value.as_table();
      if (!body)
        return error(Errc::kWrongType, value,
                     "[fields." + std::string(key.str()) + "] must be a table");
      FieldDefaults& d = fields_[static_cast<std::size_t>(*f)];
      for (auto&& [k, v] : *body) {
        const std::string_view name = k.str();
        if (name == "boundary") {
          if (auto e = boundary(v, d.boundary)) return e;
        } else if (name == "weights") {
          TypeWeights w;
          if (auto e = weights(v, w)) return e;
          d.weights = w;
        } else if (name == "from_title") {
          if (auto e = boolean(v, name, d.from_title)) return e;
        } else {
          return error(Errc::kUnknownKey, v,
                       "unknown key '" + std::string(name) + "' in [fields." +
                           std::string(key.str()) + "] (expected boundary, weights, from_title)");
        }
      }
    }
    return std::nullopt;
  }

  std::optional<LoadError> term(const toml::table& table) {
    Term t;
    std::vector<std::pair<std::string, const toml::node*>> words;
    bool remove = false;
    bool has_value = false;
    const toml::node* words_node = nullptr;
    for (auto&& [key, value] : table) {
      const std::string_view k = key.str();
      if (k == "words") {
        words_node = &value;
        if (auto e = strings(value, k, words)) return e;
      } else if (k == "field") {
        if (auto e = field(value, t.field)) return e;
      } else if (k == "value") {
        if (auto e = string(value, k, t.value)) return e;
        has_value = true;
      } else if (k == "weights") {
        TypeWeights w;
        if (auto e = weights(value, w)) return e;
        t.weights = w;
      } else if (k == "boundary") {
        Boundary b{};
        if (auto e = boundary(value, b)) return e;
        t.boundary = b;
      } else if (k == "title_weight") {
        double n = 0;
        if (auto e = number(value, k, n)) return e;
        t.title_weight = static_cast<float>(n);
      } else if (k == "remove") {
        if (auto e = boolean(value, k, remove)) return e;
      } else {
        return error(Errc::kUnknownKey, value,
                     "unknown key '" + std::string(k) +
                         "' in [[terms]] (expected words, field, value, weights, boundary, "
                         "title_weight, remove)");
      }
    }
    if (!words_node) return error(Errc::kMissingKey, table, "[[terms]] without 'words'");
    for (auto& [word, at] : words) {
      std::string key = normalize_phrase(word);
      if (key.empty())
        return error(Errc::kBadValue, *at, "the word \"" + word + "\" has no letters or digits");
      if (static_cast<std::size_t>(std::count(key.begin(), key.end(), ' ')) + 1 >
          kMaxPhraseTokens) {
        return error(Errc::kBadValue, *at, "the phrase \"" + word + "\" has more than 8 tokens");
      }
      if (remove) {
        terms_.erase(key);
        continue;
      }
      Term copy = t;
      copy.word = word;
      if (!has_value) copy.value = word;
      terms_[std::move(key)] = std::move(copy);
    }
    return std::nullopt;
  }

  std::optional<LoadError> shape(const toml::table& table) {
    ShapeRule r;
    bool remove = false;
    const toml::node* pattern_node = nullptr;
    const toml::node* captures_node = nullptr;
    std::vector<std::pair<std::string, const toml::node*>> captures;
    for (auto&& [key, value] : table) {
      const std::string_view k = key.str();
      if (k == "pattern") {
        pattern_node = &value;
        if (auto e = string(value, k, r.pattern)) return e;
      } else if (k == "captures") {
        captures_node = &value;
        if (auto e = strings(value, k, captures)) return e;
      } else if (k == "field") {
        if (auto e = field(value, r.field)) return e;
      } else if (k == "value") {
        if (auto e = string(value, k, r.value)) return e;
      } else if (k == "weights") {
        if (auto e = weights(value, r.weights)) return e;
      } else if (k == "boundary") {
        if (auto e = boundary(value, r.boundary)) return e;
      } else if (k == "when") {
        std::string s;
        if (auto e = string(value, k, s)) return e;
        if (s == "leading_group") {
          r.when = Condition::kLeadingGroup;
        } else if (s == "always") {
          r.when = Condition::kAlways;
        } else {
          return error(Errc::kBadValue, value, "'when' must be \"always\" or \"leading_group\"");
        }
      } else if (k == "preceded_by") {
        std::string s;
        if (auto e = string(value, k, s)) return e;
        lower_ascii(s, r.preceded_by);
      } else if (k == "remove") {
        if (auto e = boolean(value, k, remove)) return e;
      } else {
        return error(
            Errc::kUnknownKey, value,
            "unknown key '" + std::string(k) +
                "' in [[shapes]] (expected pattern, captures, field, value, weights, boundary, "
                "when, preceded_by, remove)");
      }
    }
    if (!pattern_node) return error(Errc::kMissingKey, table, "[[shapes]] without 'pattern'");
    auto existing = std::find_if(shapes_.begin(), shapes_.end(),
                                 [&](const ShapeRule& s) { return s.pattern == r.pattern; });
    if (remove) {
      if (existing != shapes_.end()) shapes_.erase(existing);
      return std::nullopt;
    }
    std::string why;
    auto compiled = Shape::compile(r.pattern, &why);
    if (!compiled)
      return error(Errc::kBadPattern, *pattern_node, "pattern \"" + r.pattern + "\": " + why);
    r.shape = std::move(*compiled);
    for (auto& [name, at] : captures) {
      auto it = std::find(kRoleNames.begin(), kRoleNames.end(), name);
      if (it == kRoleNames.end()) {
        return error(
            Errc::kBadValue, *at,
            "unknown capture role '" + name +
                "' (expected _, season, season_end, episode, episode_end, year, year_end, month, "
                "day, height, width, bit_depth, sample_rate, bitrate, version)");
      }
      r.roles.push_back(static_cast<Role>(it - kRoleNames.begin()));
    }
    if (r.roles.size() != r.shape.capture_count()) {
      return error(Errc::kBadValue, captures_node ? *captures_node : *pattern_node,
                   "pattern \"" + r.pattern + "\" has " + std::to_string(r.shape.capture_count()) +
                       " captures but 'captures' names " + std::to_string(r.roles.size()));
    }
    if (existing != shapes_.end()) {
      *existing = std::move(r);
    } else {
      shapes_.push_back(std::move(r));
    }
    return std::nullopt;
  }

  std::optional<LoadError> extensions(const toml::node& node) {
    const auto* table = node.as_table();
    if (!table)
      return error(Errc::kWrongType, node,
                   "'extensions' must be a table of [extensions.<group>] tables");
    for (auto&& [key, value] : *table) {
      const std::string group(key.str());
      const auto* body = value.as_table();
      if (!body)
        return error(Errc::kWrongType, value, "[extensions." + group + "] must be a table");
      TypeWeights& w = groups_[group];
      for (auto&& [k, v] : *body) {
        const std::string_view name = k.str();
        if (name == "weights") {
          TypeWeights fresh;
          if (auto e = weights(v, fresh)) return e;
          w = fresh;
        } else if (name == "list") {
          std::vector<std::pair<std::string, const toml::node*>> list;
          if (auto e = strings(v, name, list)) return e;
          for (auto& [ext, at] : list) {
            std::string lowered;
            lower_ascii(
                ext.starts_with('.') ? std::string_view(ext).substr(1) : std::string_view(ext),
                lowered);
            constexpr std::size_t kMaxExtensionBytes = 15;  // longer is a name, not an extension
            if (lowered.empty() || lowered.size() > kMaxExtensionBytes ||
                lowered.find_first_of("./\\ ") != std::string::npos) {
              return error(Errc::kBadValue, *at, "\"" + ext + "\" is not a file extension");
            }
            // TOML tables are unordered: two groups of one file claiming an
            // extension would be settled by key order, so it is an error.
            if (auto [it, fresh] = claimed_.emplace(lowered, group);
                !fresh && it->second != group) {
              return error(Errc::kBadValue, *at,
                           "\"" + ext + "\" is listed in both [extensions." + it->second +
                               "] and [extensions." + group + "]");
            }
            extensions_[lowered] = group;
          }
        } else {
          return error(Errc::kUnknownKey, v,
                       "unknown key '" + std::string(name) + "' in [extensions." + group +
                           "] (expected list, weights)");
        }
      }
    }
    return std::nullopt;
  }

  std::string_view source_;
  Settings& settings_;
  std::array<FieldDefaults, kFieldCount>& fields_;
  std::map<std::string, Term>& terms_;
  std::vector<ShapeRule>& shapes_;
  std::map<std::string, std::string>& extensions_;
  std::map<std::string, TypeWeights>& groups_;
  std::map<std::string, std::string> claimed_;  // extensions claimed by this document
};

}  // namespace

std::string_view to_string(Field field) {
  const auto i = static_cast<std::size_t>(field);
  return i < kFieldNames.size() ? kFieldNames[i] : "";
}

LoadResult<Rules> Rules::defaults() {
  return load_rule_set<Rules>(embedded_default_rules(), "default.toml", {});
}

LoadResult<Rules> Rules::load(std::span<const std::filesystem::path> user_files) {
  return load_rule_set<Rules>(embedded_default_rules(), "default.toml", user_files);
}

LoadStatus Rules::add_toml(std::string_view text, std::string_view source) {
  auto parsed = parse_rules_toml(text, source);
  if (!parsed) return parsed.error();
  const toml::table& root = *parsed;
  // Work on copies so that a bad file leaves the rules as they were.
  Settings settings = settings_;
  auto fields = fields_;
  auto terms = terms_;
  auto shapes = shapes_;
  auto extensions = extensions_;
  auto groups = groups_;
  Parser parser(source, settings, fields, terms, shapes, extensions, groups);
  try {
    if (auto e = parser.run(root)) return *e;
  } catch (const std::exception& e) {  // std::bad_alloc only; nothing above throws otherwise
    return LoadError{make_error_code(Errc::kBadValue), std::string(source), 0, 0, e.what()};
  }
  settings_ = std::move(settings);
  fields_ = fields;
  terms_ = std::move(terms);
  shapes_ = std::move(shapes);
  extensions_ = std::move(extensions);
  groups_ = std::move(groups);
  return Ok{};
}

LoadStatus Rules::add_file(const std::filesystem::path& path) {
  auto text = read_rules_file(path);
  if (!text) return text.error();
  return add_toml(*text, path.string());
}

}  // namespace magnetar::indexer::classify
