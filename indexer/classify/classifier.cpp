#include "indexer/classify/classifier.hpp"

#include <algorithm>
#include <cctype>
#include <limits>

#include "indexer/classify/text_clean.hpp"
#include "indexer/classify/tokenizer.hpp"

namespace magnetar::indexer::classify {

struct Classifier::Hit {
  std::uint16_t first = 0;  // token indices, inclusive
  std::uint16_t last = 0;
  bool term = false;
  std::uint32_t rule = 0;  // terms_ or shapes_ index
  ShapeMatch match;        // shapes only
};

struct Classifier::Scan {
  std::vector<Token> tokens;
  std::vector<Hit> hits;
  std::string key;  // scratch for phrase lookups
  void clear() {
    tokens.clear();
    hits.clear();
  }
};

namespace {

// Leading brackets longer than this are part of the title, not a group or site tag.
constexpr std::size_t kMaxLeadingTagBytes = 64;
// A trailing "-GROUP" longer than this is not a release group.
constexpr std::size_t kMaxGroupBytes = 32;
constexpr std::size_t kMaxExtensionBytes = 15;
// How much the words of the largest video file's name count, next to the name's.
constexpr float kLargestFileWeight = 0.5f;

bool is_space(char c) { return c == ' ' || c == '\t'; }
bool is_name_separator(char c) { return c == ' ' || c == '.' || c == '_' || c == '-' || c == '\t'; }

void append_unique(std::vector<std::string>& list, std::string_view value) {
  if (value.empty()) return;
  for (const auto& v : list) {
    if (v == value) return;
  }
  list.emplace_back(value);
}

// "www.site.org", "site.com", "rarbg.to": a site tag, not a release group.
bool looks_like_site(std::string_view lowered) {
  if (lowered.find("www.") != std::string_view::npos) return true;
  for (std::string_view tld :
       {".com", ".org", ".net", ".to", ".me", ".cc",   ".ru",  ".info", ".xyz", ".io",
        ".tv",  ".ws",  ".se",  ".nz", ".is", ".club", ".vip", ".pw",   ".in",  ".co"}) {
    const auto at = lowered.rfind(tld);
    if (at != std::string_view::npos && at > 0 &&
        (at + tld.size() == lowered.size() ||
         !is_word_byte(static_cast<unsigned char>(lowered[at + tld.size()])))) {
      return true;
    }
  }
  return false;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

struct Prefix {
  std::uint32_t start = 0;
  std::string_view tag;  // raw bytes of a leading "[Group]" or "(Genre)"
  bool bracket = false;  // the tag was in square brackets
};

// Skips site tags ("[ www.site.com ] - ", "www.site.org - ") and a leading
// "[Group]" (anime fansub style) or "(Genre)" tag, which it returns.
Prefix leading_prefix(std::string_view raw, std::string_view lowered, std::uint32_t end) {
  Prefix p;
  std::uint32_t i = 0;
  for (int round = 0; round < 2; ++round) {
    while (i < end && is_name_separator(lowered[i])) ++i;
    if (i >= end) break;
    const char open = lowered[i];
    if (open == '[' || open == '(' || open == '{') {
      const char close = open == '[' ? ']' : open == '(' ? ')' : '}';
      const auto c = lowered.find(close, i + 1);
      if (c == std::string_view::npos || c >= end || c - i > kMaxLeadingTagBytes) break;
      const std::string_view inner = lowered.substr(i + 1, c - i - 1);
      std::uint32_t next = static_cast<std::uint32_t>(c + 1);
      while (next < end && is_name_separator(lowered[next])) ++next;
      if (next >= end) break;  // the whole name is in brackets
      if (looks_like_site(inner)) {
        i = next;
        p.start = i;
        continue;
      }
      // "[Group]", "[Comics]", "(Rock)"; not "[2019]" or "(500) Days of Summer".
      const bool has_letter = std::any_of(inner.begin(), inner.end(), [](char ch) {
        return (ch >= 'a' && ch <= 'z') || static_cast<unsigned char>(ch) >= 0x80;
      });
      const bool has_digit = inner.find_first_of("0123456789") != std::string_view::npos;
      if (p.tag.empty() && has_letter && (open == '[' || (open == '(' && !has_digit))) {
        p.tag = trim(raw.substr(i + 1, c - i - 1));
        p.bracket = open == '[';
        i = next;
        p.start = i;
        continue;
      }
      break;
    }
    // A site name glued to the front: "SiteName www.site8.com.Title.2023".
    if (const auto www = lowered.find("www.", i);
        www != std::string_view::npos && www < end && www - i <= kMaxLeadingTagBytes && www > i) {
      std::uint32_t j = static_cast<std::uint32_t>(www);
      while (j < end && (std::isalnum(static_cast<unsigned char>(lowered[j])) ||
                         lowered[j] == '.' || lowered[j] == '-')) {
        ++j;
      }
      const std::string_view domain = lowered.substr(www, j - www);
      if (looks_like_site(domain.substr(0, domain.find_last_not_of(".-") + 1))) {
        while (j < end && is_name_separator(lowered[j])) ++j;
        if (j < end) {
          i = j;
          p.start = i;
          continue;
        }
      }
    }
    if (lowered.substr(i, end - i).starts_with("www.")) {
      std::uint32_t j = i;
      while (j < end && !is_space(lowered[j]) && lowered[j] != '[' && lowered[j] != '(') ++j;
      while (j < end && is_name_separator(lowered[j])) ++j;
      if (j >= end) break;
      i = j;
      p.start = i;
      continue;
    }
    break;
  }
  return p;
}

}  // namespace

Classifier::Classifier(const Rules& rules) : settings_(rules.settings()) {
  for (std::size_t f = 0; f < kFieldCount; ++f) from_title_[f] = rules.fields()[f].from_title;
  for (const auto& [key, term] : rules.terms()) {
    const FieldDefaults& defaults = rules.fields()[static_cast<std::size_t>(term.field)];
    CompiledTerm c;
    c.field = term.field;
    c.value = term.value;
    c.weights = term.weights ? *term.weights : defaults.weights;
    c.boundary = term.boundary ? *term.boundary : defaults.boundary;
    c.title_weight = term.title_weight;
    c.tokens = static_cast<std::uint8_t>(std::count(key.begin(), key.end(), ' ') + 1);
    term_index_.emplace(key, static_cast<std::uint32_t>(terms_.size()));
    terms_.push_back(std::move(c));
    const std::string first = key.substr(0, key.find(' '));
    auto& longest = first_token_tokens_[first];
    longest = std::max(longest, terms_.back().tokens);
  }
  shapes_ = rules.shapes();
  for (std::size_t s = 0; s < shapes_.size(); ++s) {
    const auto index = static_cast<std::uint16_t>(s);
    if (shapes_[s].shape.starts_with_digit()) {
      for (char c = '0'; c <= '9'; ++c)
        shapes_by_byte_[static_cast<unsigned char>(c)].push_back(index);
      for (char c = 'a'; c <= 'f'; ++c)
        shapes_by_byte_[static_cast<unsigned char>(c)].push_back(index);
    } else {
      shapes_by_byte_[static_cast<unsigned char>(shapes_[s].shape.first_literal())].push_back(
          index);
    }
  }
  StringMap<std::uint16_t> group_ids;
  for (const auto& [name, weights] : rules.extension_groups()) {
    group_ids.emplace(name, static_cast<std::uint16_t>(group_weights_.size()));
    group_weights_.push_back(weights);
    group_is_video_.push_back(weights[ContentType::kVideoMovie] > 0 ||
                              weights[ContentType::kVideoEpisode] > 0);
  }
  for (const auto& [ext, group] : rules.extensions()) {
    auto it = group_ids.find(group);
    if (it != group_ids.end()) extension_index_.emplace(ext, it->second);
  }
  priority_ = settings_.priority;
  for (std::size_t t = 1; t < kContentTypeCount; ++t) {
    const auto type = static_cast<ContentType>(t);
    if (std::find(priority_.begin(), priority_.end(), type) == priority_.end())
      priority_.push_back(type);
  }
}

bool Classifier::valid_capture(const ShapeRule& rule, const ShapeMatch& m) const {
  std::uint64_t episode = 0, season = 0;
  for (std::size_t i = 0; i < rule.roles.size() && i < m.capture_count; ++i) {
    const std::uint64_t v = m.captures[i].number;
    switch (rule.roles[i]) {
      case Role::kYear:
      case Role::kYearEnd:
        if (v < static_cast<std::uint64_t>(settings_.year_min) ||
            v > static_cast<std::uint64_t>(settings_.year_max)) {
          return false;
        }
        break;
      case Role::kMonth:
        if (v < 1 || v > 12) return false;
        break;
      case Role::kDay:
        if (v < 1 || v > 31) return false;
        break;
      case Role::kSeason:
        season = v;
        break;
      case Role::kSeasonEnd:
        if (v < season) return false;
        break;
      case Role::kEpisode:
        episode = v;
        break;
      case Role::kEpisodeEnd:
        if (v < episode) return false;
        break;
      case Role::kHeight:
        if (v != 240 && v != 360 && v != 480 && v != 540 && v != 576 && v != 720 && v != 1080 &&
            v != 1440 && v != 2160 && v != 4320) {
          return false;
        }
        break;
      case Role::kWidth:
        if (v < 320 || v > 7680) return false;
        break;
      case Role::kBitDepth:
        if (v != 16 && v != 24 && v != 32) return false;
        break;
      case Role::kSampleRate:
        if (v != 44 && v != 48 && v != 88 && v != 96 && v != 176 && v != 192 && v != 352 &&
            v != 384)
          return false;
        break;
      case Role::kBitrate:
        if (v < 32 || v > 1411) return false;
        break;
      case Role::kIgnore:
      case Role::kVersion:
        break;
    }
  }
  return true;
}

void Classifier::scan(std::string_view lowered, std::uint32_t start, std::uint32_t end,
                      bool leading_group, Scan& out) const {
  out.clear();
  const std::string_view text = lowered.substr(0, end);
  tokenize(text.substr(start), out.tokens);
  for (Token& t : out.tokens) {
    t.begin += start;
    t.end += start;
  }
  const std::size_t n = out.tokens.size();
  std::size_t i = 0;
  while (i < n) {
    const Token& first = out.tokens[i];
    if (!first.run_start) {
      ++i;
      continue;
    }
    std::uint32_t best_end = 0;
    bool best_term = false;
    std::uint32_t best_rule = 0;
    ShapeMatch best_match;
    // Terms: the longest phrase of whole runs starting here.
    const std::string_view first_text = text.substr(first.begin, first.end - first.begin);
    if (auto it = first_token_tokens_.find(first_text); it != first_token_tokens_.end()) {
      const std::size_t longest = std::min<std::size_t>(it->second, n - i);
      for (std::size_t count = longest; count >= 1; --count) {
        const Token& last = out.tokens[i + count - 1];
        // A phrase covers whole runs, except that letters may stop before one
        // digit in the same run: "DD" in "DD5.1", "AAC" in "AAC2.0" (channel
        // counts), but not "GalaxyRG" in "GalaxyRG265".
        if (!last.run_end) {
          const Token& next = out.tokens[i + count];
          if (is_digit(static_cast<unsigned char>(text[last.begin])) || next.end - next.begin != 1)
            continue;
        }
        out.key.clear();
        for (std::size_t k = i; k < i + count; ++k) {
          if (k != i) out.key += ' ';
          out.key.append(text.substr(out.tokens[k].begin, out.tokens[k].end - out.tokens[k].begin));
        }
        if (auto t = term_index_.find(std::string_view(out.key)); t != term_index_.end()) {
          best_end = last.end;
          best_term = true;
          best_rule = t->second;
          break;
        }
      }
    }
    // Shapes: the longest match; a term of the same length wins.
    for (std::uint16_t s : shapes_by_byte_[static_cast<unsigned char>(text[first.begin])]) {
      const ShapeRule& rule = shapes_[s];
      if (rule.when == Condition::kLeadingGroup && !leading_group) continue;
      if (!rule.preceded_by.empty() && !text.substr(0, first.begin).ends_with(rule.preceded_by))
        continue;
      auto m = rule.shape.match(text, first.begin);
      if (!m || m->end <= best_end || !valid_capture(rule, *m)) continue;
      best_end = m->end;
      best_term = false;
      best_rule = s;
      best_match = *m;
    }
    if (best_end == 0) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j + 1 < n && out.tokens[j + 1].end <= best_end) ++j;
    Hit hit;
    hit.first = static_cast<std::uint16_t>(i);
    hit.last = static_cast<std::uint16_t>(j);
    hit.term = best_term;
    hit.rule = best_rule;
    hit.match = best_match;
    out.hits.push_back(hit);
    i = j + 1;
  }
}

int Classifier::extension_group(std::string_view path) const {
  const auto slash = path.find_last_of("/\\");
  if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
  const auto dot = path.rfind('.');
  if (dot == std::string_view::npos || dot == 0) return -1;
  const std::string_view ext = path.substr(dot + 1);
  if (ext.empty() || ext.size() > kMaxExtensionBytes) return -1;
  char buffer[kMaxExtensionBytes];
  for (std::size_t i = 0; i < ext.size(); ++i) buffer[i] = to_lower_ascii(ext[i]);
  const std::string_view key(buffer, ext.size());
  if (auto it = extension_index_.find(key); it != extension_index_.end()) return it->second;
  bool digits = false;
  for (std::size_t i = 0; i < ext.size(); ++i) {
    if (is_digit(static_cast<unsigned char>(buffer[i]))) {
      buffer[i] = '#';
      digits = true;
    }
  }
  if (!digits) return -1;
  if (auto it = extension_index_.find(key); it != extension_index_.end()) return it->second;
  return -1;
}

Boundary Classifier::boundary_of(const Hit& h) const {
  return h.term ? terms_[h.rule].boundary : shapes_[h.rule].boundary;
}

// A year (or year range), not a date.
bool Classifier::is_year_hit(const Hit& h) const {
  if (h.term) return false;
  const auto& roles = shapes_[h.rule].roles;
  return std::find(roles.begin(), roles.end(), Role::kYear) != roles.end() &&
         std::find(roles.begin(), roles.end(), Role::kMonth) == roles.end();
}

// Adds the evidence of the file list to `scores`: each extension group's share
// of the bytes, and episode markers in the largest video files' names, whose
// video attributes and season it returns.
Classification Classifier::file_evidence(std::span<const FileEntry> files, int name_group,
                                         TypeWeights& scores) const {
  std::vector<double> group_bytes(group_weights_.size(), 0.0);
  double total = 0;
  struct Largest {
    std::uint64_t size;
    std::size_t index;
  };
  std::array<Largest, kMaxFilesParsed> largest{};
  std::size_t largest_count = 0;
  const std::size_t scanned = std::min(files.size(), kMaxFilesScanned);
  bool sizes_known = false;
  for (std::size_t f = 0; f < scanned; ++f) sizes_known = sizes_known || files[f].size > 0;
  for (std::size_t f = 0; f < scanned; ++f) {
    const double weight = sizes_known ? static_cast<double>(files[f].size) : 1.0;
    total += weight;
    const int g = extension_group(files[f].path);
    if (g < 0) continue;
    group_bytes[static_cast<std::size_t>(g)] += weight;
    if (!group_is_video_[static_cast<std::size_t>(g)]) continue;
    // Keep the kMaxFilesParsed largest video files, largest first.
    Largest item{files[f].size, f};
    if (largest_count < largest.size()) {
      largest[largest_count++] = item;
    } else if (item.size > largest[largest_count - 1].size) {
      largest[largest_count - 1] = item;
    } else {
      continue;
    }
    for (std::size_t k = largest_count - 1; k > 0 && largest[k].size > largest[k - 1].size; --k) {
      std::swap(largest[k], largest[k - 1]);
    }
  }
  if (scanned == 0 && name_group >= 0) {
    group_bytes[static_cast<std::size_t>(name_group)] = 1.0;
    total = 1.0;
  }
  if (total > 0) {
    for (std::size_t g = 0; g < group_bytes.size(); ++g) {
      if (group_bytes[g] <= 0) continue;
      const auto share = static_cast<float>(group_bytes[g] / total);
      for (std::size_t t = 0; t < kContentTypeCount; ++t)
        scores.values[t] += share * group_weights_[g].values[t];
    }
  }

  // The largest video files' names: episode markers and missing video attributes.
  Classification from_files;
  std::size_t files_with_episodes = 0;
  if (largest_count > 0 && !(files.size() == 1 && largest_count == 1)) {
    Scan file_scan;
    std::string file_lowered;
    for (std::size_t k = 0; k < largest_count; ++k) {
      std::string_view path = files[largest[k].index].path;
      const auto slash = path.find_last_of("/\\");
      if (slash != std::string_view::npos) path.remove_prefix(slash + 1);
      if (path.size() > kMaxNameBytes) path = path.substr(0, kMaxNameBytes);
      lower_ascii(path, file_lowered);
      auto file_end = static_cast<std::uint32_t>(file_lowered.size());
      const auto dot = file_lowered.rfind('.');
      if (dot != std::string::npos && dot > 0) file_end = static_cast<std::uint32_t>(dot);
      // File names carry anime-style episodes without a group ("Title - 01.mkv").
      scan(file_lowered, 0, file_end, true, file_scan);
      bool episode = false;
      for (const Hit& h : file_scan.hits) {
        if (h.term) {
          const CompiledTerm& t = terms_[h.rule];
          if (k != 0) continue;
          // The largest video's name counts half, as if it were title words:
          // generic torrent names hide "Site - Performer - Scene.mp4".
          for (std::size_t w = 0; w < kContentTypeCount; ++w) {
            scores.values[w] += kLargestFileWeight * t.title_weight * t.weights.values[w];
          }
          if (h.first == 0) continue;
          if (t.field == Field::kResolution && from_files.resolution.empty())
            from_files.resolution = t.value;
          if (t.field == Field::kSource && from_files.source.empty()) from_files.source = t.value;
          if (t.field == Field::kVideoCodec && from_files.video_codec.empty())
            from_files.video_codec = t.value;
          continue;
        }
        const ShapeRule& rule = shapes_[h.rule];
        for (std::size_t c = 0; c < rule.roles.size() && c < h.match.capture_count; ++c) {
          if (rule.roles[c] == Role::kEpisode) episode = true;
          if (rule.roles[c] == Role::kSeason && !from_files.seasons) {
            const auto v = static_cast<std::uint32_t>(h.match.captures[c].number);
            from_files.seasons = Range{v, v};
          }
        }
      }
      if (episode) ++files_with_episodes;
    }
  }
  if (files_with_episodes >= 2 || (files_with_episodes == 1 && largest_count == 1)) {
    scores[ContentType::kVideoEpisode] += settings_.file_episode_weight;
  }

  return from_files;
}

// Sets the attributes of the matches after the title (and, for fields read
// from titles, of those inside it).
void Classifier::apply_hits(const Scan& scan, std::size_t stop, std::string_view name,
                            Classification& result) const {
  for (const Hit& h : scan.hits) {
    const bool in_title = h.first < stop;
    if (h.term) {
      const CompiledTerm& t = terms_[h.rule];
      if (in_title && !from_title_[static_cast<std::size_t>(t.field)]) continue;
      switch (t.field) {
        case Field::kNone:
          break;
        case Field::kResolution:
          if (result.resolution.empty()) result.resolution = t.value;
          break;
        case Field::kSource:
          if (result.source.empty()) result.source = t.value;
          break;
        case Field::kVideoCodec:
          if (result.video_codec.empty()) result.video_codec = t.value;
          break;
        case Field::kAudio:
          append_unique(result.audio, t.value);
          break;
        case Field::kLanguage:
          append_unique(result.languages, t.value);
          break;
        case Field::kFlag:
          append_unique(result.flags, t.value);
          if (t.value == "complete") result.complete = true;
          break;
        case Field::kGroup:
          if (result.release_group.empty()) result.release_group = t.value;
          break;
        case Field::kPlatform:
          if (result.platform.empty()) result.platform = t.value;
          break;
        case Field::kBitrate:
          if (result.bitrate.empty()) result.bitrate = t.value;
          break;
      }
      continue;
    }
    if (in_title) continue;
    const ShapeRule& rule = shapes_[h.rule];
    std::optional<std::uint32_t> season, season_end, episode, episode_end, month, day, height,
        bit_depth, sample_rate;
    std::optional<std::uint16_t> year;
    for (std::size_t c = 0; c < rule.roles.size() && c < h.match.capture_count; ++c) {
      const Capture& cap = h.match.captures[c];
      const auto v = static_cast<std::uint32_t>(std::min<std::uint64_t>(cap.number, 0xFFFFFFFFu));
      switch (rule.roles[c]) {
        case Role::kIgnore:
          break;
        case Role::kSeason:
          season = v;
          break;
        case Role::kSeasonEnd:
          season_end = v;
          break;
        case Role::kEpisode:
          episode = v;
          break;
        case Role::kEpisodeEnd:
          episode_end = v;
          break;
        case Role::kYear:
          year = static_cast<std::uint16_t>(v);
          break;
        case Role::kYearEnd:
          break;
        case Role::kMonth:
          month = v;
          break;
        case Role::kDay:
          day = v;
          break;
        case Role::kHeight:
          height = v;
          break;
        case Role::kWidth:
          break;
        case Role::kBitDepth:
          bit_depth = v;
          break;
        case Role::kSampleRate:
          sample_rate = v;
          break;
        case Role::kBitrate:
          if (result.bitrate.empty()) result.bitrate = std::to_string(v) + "kbps";
          break;
        case Role::kVersion:
          if (result.version.empty())
            result.version.assign(name.substr(cap.begin, cap.end - cap.begin));
          break;
      }
    }
    if (season && !result.seasons) result.seasons = Range{*season, season_end.value_or(*season)};
    if (episode && !result.episodes)
      result.episodes = Range{*episode, episode_end.value_or(*episode)};
    if (year && month && day && !result.air_date) {
      result.air_date =
          Date{*year, static_cast<std::uint8_t>(*month), static_cast<std::uint8_t>(*day)};
    }
    if (year && !result.year) result.year = year;
    if (height && result.resolution.empty()) {
      result.resolution = std::to_string(*height) + "p";
    }
    if (bit_depth && sample_rate && result.bitrate.empty()) {
      result.bitrate = std::to_string(*bit_depth) + "-" + std::to_string(*sample_rate);
    }
    if (rule.field == Field::kFlag && !rule.value.empty()) append_unique(result.flags, rule.value);
  }
}

// The text after a dash glued to the last word before any trailing [tags]
// ("x264-GROUP", "... 5.1 - GROUP"), if it is not a match and follows a strong one.
std::string Classifier::trailing_group(std::string_view name, std::string_view lowered,
                                       std::uint32_t end, const Scan& scan) const {
  const std::vector<Token>& tokens = scan.tokens;
  const std::vector<Hit>& hits = scan.hits;
  if (tokens.empty()) return {};
  // The last run before any trailing [tags], right after a '-' glued to the
  // previous word ("x264-GROUP"), not covered by a match, after a strong match.
  std::uint32_t tail = end;
  for (int round = 0; round < 4; ++round) {
    while (tail > 0 && is_space(lowered[tail - 1])) --tail;
    if (tail == 0 || (lowered[tail - 1] != ']' && lowered[tail - 1] != ')')) break;
    const char open = lowered[tail - 1] == ']' ? '[' : '(';
    const auto at = lowered.rfind(open, tail - 1);
    if (at == std::string::npos || at == 0) break;
    tail = static_cast<std::uint32_t>(at);
  }
  std::size_t last = tokens.size();
  while (last > 0 && tokens[last - 1].begin >= tail) --last;
  if (last > 0 && tokens[last - 1].end == tail) {
    std::size_t first = last - 1;
    while (first > 0 && !tokens[first].run_start) --first;
    const std::uint32_t begin = tokens[first].begin;
    // "x264-GROUP", "[1080p]-GROUP", or p2p style "... 5.1 - GROUP".
    const bool glued = begin >= 2 && lowered[begin - 1] == '-' &&
                       (is_word_byte(static_cast<unsigned char>(lowered[begin - 2])) ||
                        lowered[begin - 2] == ')' || lowered[begin - 2] == ']');
    const bool spaced = begin >= 3 && lowered[begin - 1] == ' ' && lowered[begin - 2] == '-' &&
                        lowered[begin - 3] == ' ';
    bool covered = false, strong_before = false;
    for (const Hit& h : hits) {
      // A hint word ("Topaz") may be a group name too; an attribute may not.
      const bool hint = h.term && h.first == first && terms_[h.rule].field == Field::kNone;
      if (h.last >= first && h.first < last && !hint) covered = true;
      if (h.last < first && boundary_of(h) == Boundary::kStrong) strong_before = true;
    }
    if ((glued || spaced) && !covered && strong_before && tail - begin <= kMaxGroupBytes) {
      return sanitize_utf8(name.substr(begin, tail - begin));
    }
  }
  return {};
}

Classification Classifier::classify(std::string_view name, std::span<const FileEntry> files) const {
  Classification result;
  if (name.size() > kMaxNameBytes) name = name.substr(0, kMaxNameBytes);
  std::string lowered;
  lower_ascii(name, lowered);
  auto end = static_cast<std::uint32_t>(lowered.size());
  while (end > 0 && is_space(lowered[end - 1])) --end;

  // A single-file torrent's name ends with the file's extension. A multi-file
  // torrent's name is a folder ("Film.1080p.BluRay.DTS" does not end in .dts),
  // and without a file list an extension that is also a term stays a term.
  int name_group = -1;
  if (files.size() <= 1) name_group = extension_group(std::string_view(lowered).substr(0, end));
  if (name_group >= 0) {
    // extension_group() found a '.' after the last '/', not first in the base name.
    const auto dot = static_cast<std::uint32_t>(lowered.rfind('.', end));
    const std::string_view ext = std::string_view(lowered).substr(dot + 1, end - dot - 1);
    if (files.empty() && term_index_.contains(ext)) {
      name_group = -1;
    } else {
      end = dot;
    }
  }

  // A leading tag may be a hint ("[Brazzers]", "(Ebook)"); in square brackets and
  // not a known word of another kind, it is the release group ("[SubsPlease]").
  const Prefix prefix = leading_prefix(name, lowered, end);
  const CompiledTerm* prefix_term = nullptr;
  std::string_view group_tag;
  if (!prefix.tag.empty()) {
    if (auto it = term_index_.find(std::string_view(normalize_phrase(prefix.tag)));
        it != term_index_.end()) {
      prefix_term = &terms_[it->second];
    }
    if (prefix.bracket && (!prefix_term || prefix_term->field == Field::kGroup))
      group_tag = prefix.tag;
  }
  Scan scan_result;
  scan_result.tokens.reserve(64);
  scan_result.hits.reserve(32);
  scan(lowered, prefix.start, end, !group_tag.empty(), scan_result);
  const std::vector<Token>& tokens = scan_result.tokens;
  const std::vector<Hit>& hits = scan_result.hits;

  // The title ends at the first strong match (not the first token), then
  // gives back any weak matches right before it.
  auto title_end = [&](bool skip_years) {
    std::size_t stop = tokens.size();
    bool at_year = false;
    for (const Hit& h : hits) {
      // A bracketed year ends even a program's title: "Elden Ring (2022) PC".
      const bool bracketed =
          tokens[h.first].begin > 0 &&
          (lowered[tokens[h.first].begin - 1] == '(' || lowered[tokens[h.first].begin - 1] == '[');
      if (h.first > 0 && boundary_of(h) == Boundary::kStrong &&
          !(skip_years && is_year_hit(h) && !bracketed)) {
        stop = h.first;
        at_year = is_year_hit(h);
        break;
      }
    }
    // Scene names put languages and editions after the year, so a weak word right
    // before the year belongs to the title ("Johnny.English.2003").
    for (bool again = !at_year; again;) {
      again = false;
      for (auto it = hits.rbegin(); it != hits.rend(); ++it) {
        if (it->first > 0 && static_cast<std::size_t>(it->last) + 1 == stop &&
            boundary_of(*it) == Boundary::kWeak) {
          stop = it->first;
          again = true;
          break;
        }
      }
    }
    return stop;
  };

  // Type evidence from the name.
  TypeWeights scores;
  std::size_t stop = title_end(false);
  for (const Hit& h : hits) {
    const float factor = h.first < stop ? (h.term ? terms_[h.rule].title_weight : 1.0f) : 1.0f;
    const TypeWeights& w = h.term ? terms_[h.rule].weights : shapes_[h.rule].weights;
    for (std::size_t t = 0; t < kContentTypeCount; ++t) scores.values[t] += factor * w.values[t];
  }

  if (prefix_term) {
    for (std::size_t t = 0; t < kContentTypeCount; ++t)
      scores.values[t] += prefix_term->weights.values[t];
  }

  const Classification from_files = file_evidence(files, name_group, scores);

  // The type: the highest score, ties broken by the priority order.
  ContentType best = ContentType::kUnknown;
  float best_score = -std::numeric_limits<float>::infinity();
  for (ContentType t : priority_) {
    if (scores[t] > best_score) {
      best_score = scores[t];
      best = t;
    }
  }
  if (best_score < settings_.min_score) best = ContentType::kUnknown;
  result.type = best;

  // Software and games put years in product names ("Photoshop 2024").
  if (best == ContentType::kSoftware || best == ContentType::kGame) stop = title_end(true);

  apply_hits(scan_result, stop, name, result);

  // Attributes that only mean something for some types ("Windows.2019.1080p" is
  // a film, "640Kbps" in a film name is its audio track).
  const bool program = best == ContentType::kSoftware || best == ContentType::kGame;
  if (!program) {
    result.platform.clear();
    result.version.clear();
  }
  if (best != ContentType::kAudioMusic && best != ContentType::kAudiobook) result.bitrate.clear();

  // Software and games: the year was left in the title ("Doom Eternal (2020)").
  if (!result.year && (best == ContentType::kSoftware || best == ContentType::kGame)) {
    for (const Hit& h : hits) {
      if (h.first == 0 || !is_year_hit(h)) continue;
      const ShapeRule& rule = shapes_[h.rule];
      for (std::size_t c = 0; c < rule.roles.size() && c < h.match.capture_count; ++c) {
        if (rule.roles[c] == Role::kYear)
          result.year = static_cast<std::uint16_t>(h.match.captures[c].number);
      }
      break;
    }
  }
  if (result.type == ContentType::kVideoEpisode || result.type == ContentType::kVideoMovie) {
    if (result.resolution.empty()) result.resolution = from_files.resolution;
    if (result.source.empty()) result.source = from_files.source;
    if (result.video_codec.empty()) result.video_codec = from_files.video_codec;
    if (result.type == ContentType::kVideoEpisode && !result.seasons)
      result.seasons = from_files.seasons;
  }

  // The release group: a leading [Group], a known group name, or a trailing -GROUP.
  if (!group_tag.empty()) {
    result.release_group = sanitize_utf8(group_tag);
  } else if (std::string group = trailing_group(name, lowered, end, scan_result); !group.empty()) {
    result.release_group = std::move(group);
  }

  // The title: the text before `stop`, cleaned.
  if (!tokens.empty()) {
    const std::uint32_t title_begin = prefix.start;  // keeps "(500) Days of Summer" whole
    const std::uint32_t title_stop = stop < tokens.size() ? tokens[stop].begin : end;
    result.title = clean_title(name.substr(title_begin, title_stop - title_begin));
  }
  if (result.title.empty())
    result.title = clean_title(name.substr(prefix.start, end - prefix.start));

  // "Artist - Album": the first spaced hyphen, en dash or em dash.
  if (result.type == ContentType::kAudioMusic) {
    std::size_t dash = std::string::npos, width = 0;
    for (std::string_view sep : {" - ", " \xE2\x80\x93 ", " \xE2\x80\x94 "}) {
      const auto at = result.title.find(sep);
      if (at < dash) {
        dash = at;
        width = sep.size();
      }
    }
    if (dash != std::string::npos) {
      result.artist = result.title.substr(0, dash);
      result.album = result.title.substr(dash + width);
    }
  }
  return result;
}

void Classifier::classify_batch(std::span<const TorrentInput> inputs,
                                std::span<Classification> out) const {
  const std::size_t n = std::min(inputs.size(), out.size());
  for (std::size_t i = 0; i < n; ++i) out[i] = classify(inputs[i].name, inputs[i].files);
}

std::vector<Classification> Classifier::classify_batch(std::span<const TorrentInput> inputs) const {
  std::vector<Classification> out(inputs.size());
  classify_batch(inputs, out);
  return out;
}

}  // namespace magnetar::indexer::classify
