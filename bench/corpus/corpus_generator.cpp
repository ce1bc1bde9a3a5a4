#include "bench/corpus/corpus_generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

namespace magnetar::bench {
namespace {

using indexer::store::Source;
using indexer::store::TorrentFile;
using indexer::store::TorrentRecord;

// SplitMix64 (public-domain algorithm by Sebastiano Vigna): small, fast and
// good enough for synthetic data; the same sequence everywhere.
class Rng {
 public:
  explicit Rng(std::uint64_t seed) : state_(seed) {}
  std::uint64_t next() {
    std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // [lo, hi]
  std::int64_t range(std::int64_t lo, std::int64_t hi) {
    return lo + static_cast<std::int64_t>(next() % static_cast<std::uint64_t>(hi - lo + 1));
  }
  bool chance(double p) { return uniform() < p; }
  // Standard normal, Box-Muller.
  double normal() {
    const double u1 = 1.0 - uniform();  // (0, 1]
    const double u2 = uniform();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(6.283185307179586 * u2);
  }
  double lognormal(double median, double sigma) { return median * std::exp(sigma * normal()); }
  template <class C>
  const auto& pick(const C& c) {
    return c[next() % std::size(c)];
  }

 private:
  std::uint64_t state_;
};

using Words = std::vector<std::string_view>;

const Words kTitleWords = {
    "The",     "Last",    "Night",     "Dark",    "Star",     "Man",     "Woman",   "City",
    "House",   "Love",    "War",       "King",    "Queen",    "Dead",    "Blood",   "Fire",
    "Ice",     "Storm",   "Shadow",    "Ghost",   "Secret",   "Lost",    "Return",  "Rise",
    "Fall",    "Black",   "White",     "Red",     "Blue",     "Golden",  "Silent",  "Wild",
    "Broken",  "Hidden",  "Final",     "First",   "Little",   "Big",     "Great",   "American",
    "Summer",  "Winter",  "Road",      "River",   "Mountain", "Island",  "Ocean",   "Sky",
    "Moon",    "Sun",     "Dream",     "Heart",   "Soul",     "Mind",    "Game",    "Hunter",
    "Killer",  "Doctor",  "Detective", "Agent",   "Empire",   "Kingdom", "Legend",  "Story",
    "Journey", "Escape",  "Mission",   "Project", "Code",     "Machine", "World",   "Planet",
    "Earth",   "Space",   "Time",      "Future",  "Past",     "Day",     "Morning", "Midnight",
    "Angel",   "Devil",   "Saint",     "Sinner",  "Brother",  "Sister",  "Father",  "Mother",
    "Family",  "Friends", "Stranger",  "Wolf",    "Tiger",    "Dragon",  "Eagle",   "Horse",
    "Garden",  "Forest",  "Desert",    "Street",  "Paris",    "London",  "Tokyo",   "Chicago",
    "Club",    "School",  "Hotel",     "Prison",  "Office",   "Station", "Bridge",  "Tower",
    "Under",   "Beyond",  "Between",   "Against", "Without",  "Forever", "Again",   "Never",
    "Home",    "Alone",   "Together",  "Rising",  "Falling",  "Burning", "Running", "Crossing"};
const Words kFirstNames = {"John",  "Mary",    "James", "Anna",   "Robert", "Laura", "David",
                           "Sarah", "Michael", "Emma",  "Daniel", "Julia",  "Peter", "Olivia",
                           "Mark",  "Sofia",   "Paul",  "Elena",  "Lucas",  "Nina"};
const Words kLastNames = {"Smith",  "Johnson", "Brown",  "Miller",   "Davis",  "Garcia",
                          "Wilson", "Moore",   "Taylor", "Anderson", "Thomas", "Martin",
                          "White",  "Clark",   "Lewis",  "Walker",   "Young",  "King",
                          "Wright", "Lopez",   "Hill",   "Scott",    "Green",  "Baker"};
const Words kGroups = {"SPARKS", "RARBG",   "FGT",  "NTb",   "GECKOS", "AMIABLE", "DRONES",
                       "YIFY",   "EVO",     "CMRG", "ION10", "PSA",    "TEPES",   "NOGRP",
                       "KOGi",   "DEFLATE", "BLOW", "SiGMA", "TGx",    "EDITH"};
const Words kSources = {"BluRay", "WEB-DL", "WEBRip", "HDTV", "DVDRip", "BDRip", "REMUX", "WEB"};
const Words kCodecs = {"x264", "x265", "H.264", "HEVC", "XviD", "AV1", "h264", "10bit.x265"};
const Words kAudio = {"DTS", "AC3", "AAC", "DDP5.1", "TrueHD.Atmos", "DTS-HD.MA.5.1", "AAC2.0"};
const Words kP2pTags = {"YTS.MX", "YIFY", "Tigole", "QxR", "RARBG", "PSA", "5.1", "10bit"};
const Words kMusicFormats = {"FLAC",    "MP3 320", "MP3 V0", "24bit 96kHz FLAC",
                             "AAC 256", "WEB FLAC"};
const Words kSoftware = {
    "Adobe Photoshop",    "Microsoft Office", "AutoCAD",         "Windows 11 Pro",
    "VMware Workstation", "CorelDRAW",        "Ableton Live",    "FL Studio",
    "Nero Burning ROM",   "WinRAR",           "Sony Vegas Pro",  "Avast Premium",
    "Ubuntu Desktop",     "Kali Linux",       "DaVinci Resolve", "Acronis True Image"};
const Words kRepackers = {"FitGirl Repack", "DODI Repack", "ElAmigos", "GOG",    "CODEX",
                          "PLAZA",          "SKIDROW",     "RUNE",     "TENOKE", "EMPRESS"};
const Words kSites = {"Brazzers", "RealityKings",   "Vixen",    "Tushy",
                      "Blacked",  "NaughtyAmerica", "BangBros", "Private"};
const Words kExtrasDirs = {"Sample",        "Subs",   "Extras", "Featurettes", "Artwork",
                           "Scans",         "Covers", "Proof",  "Bonus",       "Behind the Scenes",
                           "Deleted Scenes"};
const Words kMiscExt = {"txt", "nfo", "jpg", "png", "pdf", "dat",  "bin", "xml", "ini",  "log",
                        "dll", "exe", "zip", "rar", "7z",  "html", "css", "js",  "json", "db"};

struct TypeShape {
  CorpusType type;
  double cumulative;     // cumulative probability
  double file_median;    // bytes per file, median
  std::string_view ext;  // main extension
};

// Cumulative: 22 movies, 18 episodes, 17 music, 3 audiobooks, 6 software,
// 4 games, 8 xxx, 6 ebooks, 5 archives, 4 images, 2 comics, 5 unknown.
constexpr std::array<TypeShape, 12> kTypes = {{
    {CorpusType::kMovie, 0.22, 1.5e9, "mkv"},
    {CorpusType::kEpisode, 0.40, 6.0e8, "mkv"},
    {CorpusType::kMusic, 0.57, 9.0e6, "flac"},
    {CorpusType::kAudiobook, 0.60, 3.0e7, "mp3"},
    {CorpusType::kSoftware, 0.66, 5.0e6, "exe"},
    {CorpusType::kGame, 0.70, 5.0e7, "bin"},
    {CorpusType::kXxx, 0.78, 4.0e8, "mp4"},
    {CorpusType::kEbook, 0.84, 2.0e6, "epub"},
    {CorpusType::kArchive, 0.89, 1.0e8, "rar"},
    {CorpusType::kImage, 0.93, 3.0e6, "jpg"},
    {CorpusType::kComic, 0.95, 4.0e7, "cbz"},
    {CorpusType::kUnknown, 1.00, 1.0e7, "dat"},
}};

std::string title_words(Rng& rng, int min_words, int max_words) {
  const int n = static_cast<int>(rng.range(min_words, max_words));
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (i) out.push_back(' ');
    out.append(rng.pick(kTitleWords));
  }
  return out;
}

std::string person(Rng& rng) {
  return std::string(rng.pick(kFirstNames)) + " " + std::string(rng.pick(kLastNames));
}

std::string dotted(std::string s) {
  std::replace(s.begin(), s.end(), ' ', '.');
  return s;
}

std::string num(int v, int width) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%0*d", width, v);
  return buf;
}

enum class Style { kScene, kP2p, kPlain };

struct Naming {
  std::string name;
  std::string title;
  int year = 0, season = 0, episode = 0, resolution = 0;
};

int pick_resolution(Rng& rng) {
  const double u = rng.uniform();
  return u < 0.10 ? 480 : u < 0.35 ? 720 : u < 0.85 ? 1080 : 2160;
}

Naming make_name(Rng& rng, CorpusType type, Style style) {
  Naming n;
  n.year = static_cast<int>(rng.range(1960, 2024));
  switch (type) {
    case CorpusType::kMovie:
    case CorpusType::kEpisode: {
      n.title = title_words(rng, 2, 6);
      n.resolution = pick_resolution(rng);
      const std::string res = std::to_string(n.resolution) + "p";
      std::string marker;
      if (type == CorpusType::kEpisode) {
        n.season = static_cast<int>(rng.range(1, 12));
        marker = "S" + num(n.season, 2);
        if (rng.chance(0.6)) {
          n.episode = static_cast<int>(rng.range(1, 24));
          marker += "E" + num(n.episode, 2);
        }
      }
      if (style == Style::kScene) {
        n.name = dotted(n.title) + "." + (marker.empty() ? std::to_string(n.year) : marker) + "." +
                 res + "." + std::string(rng.pick(kSources)) + "." +
                 (rng.chance(0.4) ? std::string(rng.pick(kAudio)) + "." : "") +
                 std::string(rng.pick(kCodecs)) + "-" + std::string(rng.pick(kGroups));
      } else if (style == Style::kP2p) {
        n.name = n.title + (marker.empty() ? "" : " " + marker) + " (" + std::to_string(n.year) +
                 ") [" + res + "] [" + std::string(rng.pick(kSources)) + "] [" +
                 std::string(rng.pick(kP2pTags)) + "]" +
                 (rng.chance(0.5) ? " [" + std::string(rng.pick(kAudio)) + "]" : "");
      } else {
        n.name = n.title + (marker.empty() ? "" : " Season " + std::to_string(n.season)) + " " +
                 std::to_string(n.year) + " " + res + " " + std::string(rng.pick(kSources));
      }
      break;
    }
    case CorpusType::kMusic: {
      const std::string artist = rng.chance(0.5) ? person(rng) : title_words(rng, 1, 2);
      n.title = title_words(rng, 2, 5);
      n.name = style == Style::kScene
                   ? dotted(artist) + "-" + dotted(n.title) + "-" + std::to_string(n.year) +
                         "-WEB-FLAC-" + std::string(rng.pick(kGroups))
                   : artist + " - " + n.title + " (" + std::to_string(n.year) + ") [" +
                         std::string(rng.pick(kMusicFormats)) + "]";
      break;
    }
    case CorpusType::kAudiobook:
      n.title = title_words(rng, 2, 5);
      n.name = person(rng) + " - " + n.title + " (Unabridged) [M4B]";
      break;
    case CorpusType::kEbook:
      n.title = title_words(rng, 2, 5);
      n.name = person(rng) + " - " + n.title + " (" + std::to_string(n.year) + ") " +
               (rng.chance(0.5) ? "[EPUB]" : "[PDF]");
      break;
    case CorpusType::kComic:
      n.title = title_words(rng, 2, 4);
      n.name = n.title + " " + num(static_cast<int>(rng.range(1, 300)), 3) + " (" +
               std::to_string(n.year) + ") (Digital) (" + std::string(rng.pick(kGroups)) + ")";
      break;
    case CorpusType::kSoftware: {
      n.title = std::string(rng.pick(kSoftware));
      const std::string version = std::to_string(rng.range(1, 2024)) + "." +
                                  std::to_string(rng.range(0, 20)) + "." +
                                  std::to_string(rng.range(0, 999));
      n.name = style == Style::kScene ? dotted(n.title) + ".v" + version + ".x64.Multilingual-" +
                                            std::string(rng.pick(kGroups))
                                      : n.title + " v" + version + " (x64) + Crack";
      break;
    }
    case CorpusType::kGame:
      n.title = title_words(rng, 2, 5);
      n.name = style == Style::kScene ? dotted(n.title) + "-" + std::string(rng.pick(kRepackers))
                                      : n.title + " v" + std::to_string(rng.range(1, 3)) + "." +
                                            std::to_string(rng.range(0, 99)) + " [" +
                                            std::string(rng.pick(kRepackers)) + "]";
      break;
    case CorpusType::kXxx:
      n.resolution = pick_resolution(rng);
      n.name = std::string(rng.pick(kSites)) + "." + num(static_cast<int>(rng.range(10, 24)), 2) +
               "." + num(static_cast<int>(rng.range(1, 12)), 2) + "." +
               num(static_cast<int>(rng.range(1, 28)), 2) + "." + dotted(person(rng)) + "." +
               dotted(title_words(rng, 1, 3)) + ".XXX." + std::to_string(n.resolution) + "p.MP4-" +
               std::string(rng.pick(kGroups));
      break;
    case CorpusType::kImage:
      n.title = title_words(rng, 2, 4);
      n.name = n.title + " Photo Collection " + std::to_string(n.year) + " [" +
               std::to_string(rng.range(20, 900)) + "P]";
      break;
    case CorpusType::kArchive:
      n.title = title_words(rng, 2, 4);
      n.name = n.title + " Backup " + std::to_string(n.year) + "-" +
               num(static_cast<int>(rng.range(1, 12)), 2);
      break;
    case CorpusType::kUnknown:
      n.name = title_words(rng, 3, 7) + " " + std::to_string(rng.next() % 100000);
      break;
  }
  if (n.name.size() < kCorpusMinNameLength) n.name += " [Complete " + std::to_string(n.year) + "]";
  if (n.name.size() > kCorpusMaxNameLength) n.name.resize(kCorpusMaxNameLength);
  return n;
}

// One file name (the last path component) of a torrent of this type.
std::string file_name(Rng& rng, CorpusType type, const Naming& n, std::size_t i,
                      std::string_view ext) {
  switch (type) {
    case CorpusType::kMovie:
      return i == 0 ? dotted(n.title) + "." + std::to_string(n.year) + "." +
                          std::to_string(n.resolution) + "p." + std::string(ext)
                    : title_words(rng, 1, 3) + " " + num(static_cast<int>(i), 2) + "." +
                          std::string(rng.chance(0.5) ? "srt" : rng.pick(kMiscExt));
    case CorpusType::kEpisode:
      return dotted(n.title) + ".S" + num(std::max(n.season, 1), 2) + "E" +
             num(static_cast<int>(i % 99) + 1, 2) + "." + std::to_string(n.resolution) + "p." +
             (rng.chance(0.9) ? std::string(ext) : "srt");
    case CorpusType::kMusic:
    case CorpusType::kAudiobook:
      return num(static_cast<int>(i % 999) + 1, 2) + " - " + title_words(rng, 2, 5) + "." +
             (rng.chance(0.9) ? std::string(ext) : "jpg");
    case CorpusType::kEbook:
      return person(rng) + " - " + title_words(rng, 1, 3) + "." +
             (rng.chance(0.5)   ? "epub"
              : rng.chance(0.5) ? "pdf"
                                : "mobi");
    case CorpusType::kComic:
      return dotted(n.title) + " " + num(static_cast<int>(i) + 1, 3) + " (" +
             std::to_string(n.year) + ").cbz";
    case CorpusType::kImage:
      return "IMG_" + num(static_cast<int>(rng.range(1000, 9999)), 4) + "_" +
             title_words(rng, 1, 2) + ".jpg";
    case CorpusType::kXxx:
      return dotted(title_words(rng, 1, 3)) + ".scene_" + num(static_cast<int>(i) + 1, 2) + "." +
             std::string(ext);
    default:
      return std::string(rng.chance(0.5) ? "data" : "file") + "_" +
             std::to_string(rng.next() % 10000) + "_" + title_words(rng, 1, 3) + "." +
             std::string(rng.chance(0.4) ? ext : rng.pick(kMiscExt));
  }
}

// A directory component at `level` (0 = top), index k among its siblings.
std::string dir_name(Rng& rng, CorpusType type, const Naming& n, int level, std::size_t k) {
  switch (type) {
    case CorpusType::kEpisode:
      if (level == 0) return "Season " + num(static_cast<int>(k) + 1, 2);
      break;
    case CorpusType::kMusic:
      if (level == 0) return "CD" + std::to_string(k + 1) + " - " + title_words(rng, 1, 2);
      break;
    case CorpusType::kGame:
    case CorpusType::kSoftware:
      return title_words(rng, 1, 2) + "_" + std::to_string(k);
    default:
      break;
  }
  if (rng.chance(0.3)) return std::string(rng.pick(kExtrasDirs));
  return n.title.empty() ? title_words(rng, 1, 3) : n.title + " Part " + std::to_string(k + 1);
}

std::int64_t piece_length_for(std::int64_t total) {
  std::int64_t piece = 16 * 1024;
  while (piece < 16 * 1024 * 1024 && total / piece > 2000) piece *= 2;
  return piece;
}

}  // namespace

TorrentRecord CorpusGenerator::record(std::uint64_t index) const {
  Rng rng(seed_ * 0x9E3779B97F4A7C15ull ^ (index + 1) * 0xD1B54A32D192ED03ull);
  TorrentRecord r;

  std::array<std::uint8_t, 20> id{};
  for (std::size_t k = 0; k < id.size(); k += 8) {
    const auto v = rng.next();
    for (std::size_t b = 0; b < 8 && k + b < id.size(); ++b)
      id[k + b] = static_cast<std::uint8_t>(v >> (8 * b));
  }
  r.hashes.v1 = InfoHashV1(id);
  if (rng.chance(0.03)) {  // hybrid v1+v2 (BEP 52)
    std::array<std::uint8_t, 32> v2{};
    for (std::size_t k = 0; k < v2.size(); k += 8) {
      const auto v = rng.next();
      for (std::size_t b = 0; b < 8; ++b) v2[k + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
    r.hashes.v2 = InfoHashV2(v2);
  }

  const double u = rng.uniform();
  const TypeShape* shape = &kTypes.back();
  for (const auto& t : kTypes)
    if (u < t.cumulative) {
      shape = &t;
      break;
    }
  const double s = rng.uniform();
  const Style style = s < 0.5 ? Style::kScene : s < 0.8 ? Style::kP2p : Style::kPlain;
  const Naming naming = make_name(rng, shape->type, style);

  const auto files = static_cast<std::int64_t>(std::clamp(
      std::llround(rng.lognormal(3.0, 2.2)), 1ll, static_cast<long long>(kCorpusMaxFiles)));
  std::int64_t total = 0;
  if (files == 1) {
    r.name = naming.name;
    if (r.name.size() + 1 + shape->ext.size() <= kCorpusMaxNameLength && rng.chance(0.7)) {
      r.name.push_back('.');
      r.name.append(shape->ext);
    }
    total = static_cast<std::int64_t>(rng.lognormal(shape->file_median, 1.0)) + 1;
  } else {
    r.name = naming.name;
    // Depth 1-4: 50% flat, 30% one level of folders, 15% two, 5% three.
    const double d = rng.uniform();
    const int depth = d < 0.5 ? 1 : d < 0.8 ? 2 : d < 0.95 ? 3 : 4;
    // Level k has about files^(k/depth) folders; consecutive files share them.
    std::vector<std::vector<std::string>> dirs(depth - 1);
    for (int level = 0; level < depth - 1; ++level) {
      const auto count = static_cast<std::size_t>(std::max<double>(
          1.0, std::ceil(std::pow(static_cast<double>(files), (level + 1.0) / (depth + 1.0)))));
      for (std::size_t k = 0; k < count; ++k)
        dirs[level].push_back(dir_name(rng, shape->type, naming, level, k));
    }
    r.files.reserve(static_cast<std::size_t>(files));
    for (std::int64_t i = 0; i < files; ++i) {
      TorrentFile f;
      for (int level = 0; level < depth - 1; ++level)
        f.path.push_back(dirs[level][static_cast<std::size_t>(i) * dirs[level].size() /
                                     static_cast<std::size_t>(files)]);
      f.path.push_back(
          file_name(rng, shape->type, naming, static_cast<std::size_t>(i), shape->ext));
      f.size = static_cast<std::int64_t>(rng.lognormal(shape->file_median / 4, 1.5)) + 1;
      total += f.size;
      r.files.push_back(std::move(f));
    }
  }
  r.total_size = total;
  r.file_count = files;
  r.piece_length = piece_length_for(total);
  r.is_private = rng.chance(0.02);
  const double src = rng.uniform();
  r.source = src < 0.7   ? Source::kDhtSample
             : src < 0.9 ? Source::kDhtAnnounce
                         : Source::kDhtGetPeers;
  r.seen_at = std::chrono::system_clock::time_point(std::chrono::seconds(1'700'000'000)) +
              std::chrono::seconds(static_cast<std::int64_t>(index));
  r.content_type = static_cast<std::int16_t>(shape->type);
  r.year = static_cast<std::int16_t>(naming.year);
  r.season = static_cast<std::int16_t>(naming.season);
  r.episode = static_cast<std::int16_t>(naming.episode);
  r.resolution = static_cast<std::int16_t>(naming.resolution);
  r.title = naming.title;
  return r;
}

}  // namespace magnetar::bench
