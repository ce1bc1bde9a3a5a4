// The classifier's knowledge, as loaded from TOML rules files: the shipped
// default (rules/default.toml, embedded in the library) and then any number of
// users' files, each adding to or overriding what came before. The format is
// documented in rules/README.md. Loading never throws: a bad file gives a
// LoadError naming the file, the line and what is wrong, and leaves the Rules
// unchanged.
#pragma once

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "indexer/classify/content_type.hpp"
#include "indexer/classify/load_error.hpp"
#include "indexer/classify/shape.hpp"

namespace magnetar::indexer::classify {

// The attributes a term or a shape can set.
enum class Field : std::uint8_t {
  kNone = 0,
  kResolution,
  kSource,
  kVideoCodec,
  kAudio,
  kLanguage,
  kFlag,
  kGroup,
  kPlatform,
  kBitrate,
};
inline constexpr std::size_t kFieldCount = 10;
std::string_view to_string(Field field);

// Whether a match ends the title: strong ends it wherever it is (except as the
// first token), weak only when nothing but weak matches follow it ("FRENCH" in
// "Le.Film.FRENCH.720p" but not in "The.French.Connection.1971").
enum class Boundary : std::uint8_t { kNone = 0, kWeak, kStrong };

// What a shape capture means.
enum class Role : std::uint8_t {
  kIgnore = 0,
  kSeason,
  kSeasonEnd,
  kEpisode,
  kEpisodeEnd,
  kYear,
  kYearEnd,
  kMonth,
  kDay,
  kHeight,
  kWidth,
  kBitDepth,
  kSampleRate,
  kBitrate,
  kVersion,
};

enum class Condition : std::uint8_t { kAlways = 0, kLeadingGroup };

struct TypeWeights {
  std::array<float, kContentTypeCount> values{};
  float operator[](ContentType t) const { return values[static_cast<std::size_t>(t)]; }
  float& operator[](ContentType t) { return values[static_cast<std::size_t>(t)]; }
};

struct FieldDefaults {
  Boundary boundary = Boundary::kNone;
  TypeWeights weights;
  bool from_title = false;  // the field is also read from the title part of the name
};

struct Term {
  std::string word;  // as written in the file
  Field field = Field::kNone;
  std::string value;                   // the attribute value; the word as written when not given
  std::optional<TypeWeights> weights;  // else the field's
  std::optional<Boundary> boundary;    // else the field's
  float title_weight = 1.0f;           // multiplies the weights of a match inside the title
};

struct ShapeRule {
  std::string pattern;
  Shape shape;
  std::vector<Role> roles;  // one per capture
  Field field = Field::kNone;
  std::string value;
  TypeWeights weights;
  Boundary boundary = Boundary::kStrong;
  Condition when = Condition::kAlways;
  std::string preceded_by;  // lowercased text that must come right before the match
};

struct Settings {
  int year_min = 1890;
  int year_max = 2030;
  float min_score = 2.0f;  // below it the type is unknown
  // Added to video_episode when the largest video files carry episode markers.
  float file_episode_weight = 4.0f;
  // Ties between scores are broken by this order (first wins).
  std::vector<ContentType> priority;
};

class Rules {
 public:
  // The shipped default rules (embedded in the library at build time).
  static LoadResult<Rules> defaults();
  // The defaults, then each user file in order (later files override earlier ones).
  static LoadResult<Rules> load(std::span<const std::filesystem::path> user_files);
  // An empty rule set, for tests and for users who want none of the defaults.
  Rules() = default;

  // Adds a rules document. `source` names it in errors.
  LoadStatus add_toml(std::string_view text, std::string_view source);
  LoadStatus add_file(const std::filesystem::path& path);

  const Settings& settings() const { return settings_; }
  const std::array<FieldDefaults, kFieldCount>& fields() const { return fields_; }
  // Keyed by the normalized phrase (normalize_phrase()).
  const std::map<std::string, Term>& terms() const { return terms_; }
  const std::vector<ShapeRule>& shapes() const { return shapes_; }
  // Extension (lowercase, '#' for any digit) -> group name.
  const std::map<std::string, std::string>& extensions() const { return extensions_; }
  const std::map<std::string, TypeWeights>& extension_groups() const { return groups_; }

 private:
  Settings settings_;
  std::array<FieldDefaults, kFieldCount> fields_{};
  std::map<std::string, Term> terms_;
  std::vector<ShapeRule> shapes_;
  std::map<std::string, std::string> extensions_;
  std::map<std::string, TypeWeights> groups_;
};

}  // namespace magnetar::indexer::classify
