#include "tests/testnet/content_layout.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <span>
#include <string_view>

#include "tests/testnet/rng.hpp"

namespace magnetar::testnet {

namespace {

using Words = std::span<const std::string_view>;

constexpr std::array<std::string_view, 48> kTitleWords = {
    "Silent",   "Harbor",  "Northern", "Lights",   "Broken",   "Empire", "Hidden", "Valley",
    "Crimson",  "Tide",    "Last",     "Frontier", "Glass",    "Garden", "Iron",   "Coast",
    "Midnight", "Signal",  "Paper",    "Moon",     "Wild",     "River",  "Shadow", "Line",
    "Golden",   "Hour",    "Winter",   "Kingdom",  "Electric", "Dreams", "Lost",   "Station",
    "Black",    "Mirror",  "Distant",  "Shores",   "Burning",  "Bridge", "Quiet",  "Storm",
    "Blue",     "Horizon", "Fallen",   "Stars",    "Velvet",   "Road",   "Hollow", "Creek"};
constexpr std::array<std::string_view, 12> kGroups = {"NTb",   "FLUX",    "CAKES", "GGEZ",
                                                      "SiGMA", "ETHEL",   "KOGi",  "EDITH",
                                                      "TEPES", "NOSiViD", "MiNX",  "SMURF"};
constexpr std::array<std::string_view, 6> kResolutions = {"720p",  "1080p", "1080p",
                                                          "2160p", "1080p", "480p"};
constexpr std::array<std::string_view, 5> kSources = {"WEB-DL", "WEBRip", "BluRay", "HDTV",
                                                      "AMZN.WEB-DL"};
constexpr std::array<std::string_view, 4> kCodecs = {"x264", "x265", "H.264", "HEVC"};
constexpr std::array<std::string_view, 24> kArtistWords = {
    "Aurora", "Saints", "Velvet", "Machines", "Neon",   "Wolves", "Paper", "Kites",
    "Echo",   "Valley", "Marble", "Arcade",   "Cosmic", "Tigers", "Salt",  "Lakes",
    "Hollow", "Bones",  "Ivory",  "Hearts",   "Static", "Tides",  "Amber", "Owls"};
constexpr std::array<std::string_view, 5> kAudioFormats = {"FLAC", "MP3 320", "FLAC 24bit",
                                                           "MP3 V0", "AAC 256"};
constexpr std::array<std::string_view, 8> kDistros = {"Debian",     "Fedora",    "openSUSE Leap",
                                                      "Linux Mint", "Ubuntu",    "Rocky Linux",
                                                      "Arch Linux", "Kali Linux"};
constexpr std::array<std::string_view, 4> kArches = {"amd64", "arm64", "x86_64", "i386"};
constexpr std::array<std::string_view, 20> kProjectWords = {
    "libfoo", "netkit", "quasar",  "tinyhttp", "zephyr", "orbit",  "fastcsv",
    "pixel",  "ember",  "granite", "cobalt",   "lumen",  "nimbus", "rivet",
    "spark",  "vortex", "kestrel", "tundra",   "marlin", "quill"};
constexpr std::array<std::string_view, 16> kCodeDirs = {
    "src",      "include", "net",    "util",   "core",    "io", "docs",     "tests",
    "examples", "tools",   "crypto", "parser", "storage", "ui", "platform", "third_party"};
constexpr std::array<std::string_view, 24> kCodeStems = {
    "socket", "buffer", "parser", "config", "logger", "thread", "queue",  "allocator",
    "hash",   "string", "stream", "window", "render", "event",  "timer",  "session",
    "codec",  "cache",  "index",  "crypto", "server", "client", "router", "bitmap"};
constexpr std::array<std::string_view, 6> kCodeExts = {".c", ".h", ".cpp", ".hpp", ".py", ".md"};
constexpr std::array<std::string_view, 16> kAuthors = {
    "Jules Verne",     "H. G. Wells",        "Mary Shelley", "Edgar Allan Poe",
    "Jack London",     "Arthur Conan Doyle", "Bram Stoker",  "Robert Louis Stevenson",
    "Mark Twain",      "Jane Austen",        "Leo Tolstoy",  "Charles Dickens",
    "Herman Melville", "Virginia Woolf",     "Franz Kafka",  "Oscar Wilde"};
constexpr std::array<std::string_view, 6> kLanguages = {"English", "Spanish", "French",
                                                        "German",  "Italian", "Portuguese"};

constexpr std::int64_t kKiB = 1024;

// `count` different words of `list` (count <= list.size()).
std::string words(Rng& rng, Words list, int count, std::string_view sep) {
  std::vector<std::size_t> chosen;
  std::string out;
  while (chosen.size() < static_cast<std::size_t>(count) && chosen.size() < list.size()) {
    const std::size_t k = rng.between(0, list.size() - 1);
    if (std::find(chosen.begin(), chosen.end(), k) != chosen.end()) continue;
    if (!chosen.empty()) out += sep;
    out += list[k];
    chosen.push_back(k);
  }
  return out;
}

std::string dotted(std::string_view spaced) {
  std::string out(spaced);
  std::replace(out.begin(), out.end(), ' ', '.');
  return out;
}

std::string two_digits(std::size_t n) { return (n < 10 ? "0" : "") + std::to_string(n); }

std::string year(Rng& rng) { return std::to_string(rng.between(1970, 2024)); }

// Shared by the video styles: "1080p.WEB-DL.x264-GRP".
std::string release_tags(Rng& rng) {
  std::string tags(rng.pick(Words(kResolutions)));
  tags += '.';
  tags += rng.pick(Words(kSources));
  tags += '.';
  tags += rng.pick(Words(kCodecs));
  tags += '-';
  tags += rng.pick(Words(kGroups));
  return tags;
}

void add_subtitles(ContentLayout& out, std::string_view dir, std::string_view stem,
                   std::size_t count, Rng& rng) {
  for (std::size_t i = 0; i < count; ++i) {
    const std::string lang = std::to_string(i + 2) + "_" +
                             std::string(kLanguages[i % kLanguages.size()]) +
                             (i >= kLanguages.size() ? "_SDH" + std::to_string(i) : "");
    out.files.push_back({std::string(dir) + "/" + std::string(stem) + "." + lang + ".srt",
                         static_cast<std::int64_t>(rng.between(20, 120) * kKiB), 0});
  }
}

void scene_episode(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string show =
      dotted(words(rng, kTitleWords, static_cast<int>(rng.between(1, 3)), " "));
  const std::string ep =
      "S" + two_digits(rng.between(1, 12)) + "E" + two_digits(rng.between(1, 24));
  out.name = show + "." + ep + "." + release_tags(rng);
  if (want <= 1) {
    out.single_file = true;
    out.name += ".mkv";
    out.files.push_back({out.name, 0, 1});
    return;
  }
  out.files.push_back({out.name + ".mkv", 0, 1});
  out.files.push_back({out.name + ".nfo", static_cast<std::int64_t>(rng.between(2, 9) * kKiB), 0});
  if (want >= 3) out.files.push_back({"Sample/" + out.name + ".sample.mkv", 0, 0.01});
  if (want > 3) add_subtitles(out, "Subs", out.name, want - 3, rng);
}

void scene_season(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string show =
      dotted(words(rng, kTitleWords, static_cast<int>(rng.between(1, 3)), " "));
  const std::string season = "S" + two_digits(rng.between(1, 12));
  const std::string tags = release_tags(rng);
  out.name = show + "." + season + "." + tags;
  // Each episode: the video, then subtitles while files are wanted.
  const std::size_t episodes =
      std::clamp<std::size_t>(want / 4, std::min<std::size_t>(want, 6), 30);
  const std::size_t subs_each = episodes ? (want - std::min(want, episodes)) / episodes : 0;
  for (std::size_t e = 1; e <= episodes; ++e) {
    const std::string stem = show + "." + season + "E" + two_digits(e) + "." + tags;
    out.files.push_back({stem + ".mkv", 0, 1});
    add_subtitles(out, "Subs/" + stem, stem, subs_each, rng);
  }
}

void movie(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string title = words(rng, kTitleWords, static_cast<int>(rng.between(1, 4)), " ");
  const std::string y = year(rng);
  const std::string res(rng.pick(Words(kResolutions)));
  if (rng.chance(0.5)) {
    out.name = dotted(title) + "." + y + "." + release_tags(rng);
  } else {
    out.name = title + " (" + y + ") [" + res + "] [" + (rng.chance(0.5) ? "BluRay" : "WEBRip") +
               "] [5.1] [YTS.MX]";
  }
  if (want <= 1) {
    out.single_file = true;
    out.name += ".mkv";
    out.files.push_back({out.name, 0, 1});
    return;
  }
  out.files.push_back({title + " (" + y + ").mp4", 0, 1});
  out.files.push_back({"www.YTS.MX.jpg", 53 * kKiB, 0});
  if (want > 2) add_subtitles(out, "Subs", title, want - 2, rng);
}

std::string artist_name(Rng& rng) {
  std::string a = words(rng, kArtistWords, static_cast<int>(rng.between(1, 2)), " ");
  return rng.chance(0.3) ? "The " + a : a;
}

void add_tracks(ContentLayout& out, std::string_view dir, std::size_t tracks, std::string_view ext,
                Rng& rng) {
  for (std::size_t t = 1; t <= tracks; ++t) {
    std::string path(dir);
    if (!path.empty()) path += '/';
    path +=
        two_digits(t) + " - " + words(rng, kTitleWords, static_cast<int>(rng.between(1, 3)), " ");
    path += ext;
    out.files.push_back({path, 0, 0.5 + rng.unit()});
  }
}

void music_album(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string artist = artist_name(rng);
  const std::string album = words(rng, kTitleWords, static_cast<int>(rng.between(1, 3)), " ");
  const std::string format(rng.pick(Words(kAudioFormats)));
  out.name = artist + " - " + album + " (" + year(rng) + ") [" + format + "]";
  const bool flac = format.starts_with("FLAC");
  const std::string ext = flac ? ".flac" : (format.starts_with("AAC") ? ".m4a" : ".mp3");
  std::size_t extras = 0;
  if (want > 3) {
    out.files.push_back({"cover.jpg", static_cast<std::int64_t>(rng.between(200, 3000) * kKiB), 0});
    ++extras;
  }
  if (flac && want > 6) {
    out.files.push_back(
        {artist + " - " + album + ".cue", static_cast<std::int64_t>(rng.between(1, 4) * kKiB), 0});
    out.files.push_back(
        {artist + " - " + album + ".log", static_cast<std::int64_t>(rng.between(4, 12) * kKiB), 0});
    extras += 2;
  }
  const std::size_t tracks = std::max<std::size_t>(1, want - extras);
  if (tracks > 30) {
    // A deluxe edition: CD1, CD2, ...
    const std::size_t discs = (tracks + 29) / 30;
    for (std::size_t d = 1; d <= discs; ++d)
      add_tracks(out, "CD" + std::to_string(d), std::min<std::size_t>(30, tracks - (d - 1) * 30),
                 ext, rng);
  } else {
    add_tracks(out, "", tracks, ext, rng);
  }
}

void discography(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string artist = artist_name(rng);
  const std::size_t albums = std::clamp<std::size_t>(want / 12, 1, 40);
  // One album a year at most, the last one no later than 2024.
  const int first = static_cast<int>(rng.between(1965, 2024 - albums + 1));
  const std::string format(rng.pick(Words(kAudioFormats)));
  const std::string ext = format.starts_with("FLAC") ? ".flac" : ".mp3";
  out.name = artist + " - Discography (" + std::to_string(first) + "-" +
             std::to_string(first + static_cast<int>(albums) - 1) + ") [" + format + "]";
  std::size_t left = want;
  for (std::size_t a = 0; a < albums && left > 0; ++a) {
    const std::string dir = std::to_string(first + static_cast<int>(a)) + " - " +
                            words(rng, kTitleWords, static_cast<int>(rng.between(1, 3)), " ");
    const std::size_t tracks = a + 1 == albums ? left : std::min(left, want / albums);
    if (tracks > 1) {
      out.files.push_back(
          {dir + "/folder.jpg", static_cast<std::int64_t>(rng.between(50, 400) * kKiB), 0});
      add_tracks(out, dir, tracks - 1, ext, rng);
    } else {
      add_tracks(out, dir, tracks, ext, rng);
    }
    left -= tracks;
  }
}

void software_iso(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string distro(rng.pick(Words(kDistros)));
  const std::string version =
      std::to_string(rng.between(7, 40)) + "." + std::to_string(rng.between(0, 10));
  const std::string arch(rng.pick(Words(kArches)));
  out.name = distro + " " + version + " " + arch;
  std::string stem = distro + "-" + version + "-" + arch;
  std::replace(stem.begin(), stem.end(), ' ', '-');
  std::transform(stem.begin(), stem.end(), stem.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (want <= 1) {
    out.single_file = true;
    out.name = stem + "-DVD-1.iso";
    out.files.push_back({out.name, 0, 1});
    return;
  }
  const std::size_t dvds = std::min<std::size_t>(want - 1, 8);
  for (std::size_t d = 1; d <= dvds; ++d)
    out.files.push_back({stem + "-DVD-" + std::to_string(d) + ".iso", 0, 1});
  out.files.push_back({"SHA256SUMS", static_cast<std::int64_t>(dvds * 100), 0});
  if (want > dvds + 1) out.files.push_back({"SHA256SUMS.sign", 833, 0});
}

void source_tree(ContentLayout& out, std::size_t want, Rng& rng) {
  const std::string project(rng.pick(Words(kProjectWords)));
  out.name = project + "-" + std::to_string(rng.between(0, 9)) + "." +
             std::to_string(rng.between(0, 30)) + "." + std::to_string(rng.between(0, 12));
  out.files.push_back({"README.md", static_cast<std::int64_t>(rng.between(2, 20) * kKiB), 0});
  if (want > 1) out.files.push_back({"LICENSE", 11357, 0});
  // Files spread over nested folders, 1 to 3 levels deep; a counter keeps names unique.
  for (std::size_t i = out.files.size(); i < want; ++i) {
    std::string path;
    const int depth = static_cast<int>(rng.between(1, 3));
    for (int d = 0; d < depth; ++d) {
      path += rng.pick(Words(kCodeDirs));
      path += '/';  // folders have no extension, files always have one
    }
    path += rng.pick(Words(kCodeStems));
    path += "_" + std::to_string(i);
    path += rng.pick(Words(kCodeExts));
    out.files.push_back({path, static_cast<std::int64_t>(rng.between(1, 60) * kKiB), 0});
  }
  // Some source archives carry one large asset bundle, which gives them pieces.
  out.files.push_back({"assets/data.pak", 0, 1});
}

void ebook_collection(ContentLayout& out, std::size_t want, Rng& rng) {
  out.name = words(rng, kTitleWords, 2, " ") + " Classics Collection [" +
             (rng.chance(0.5) ? "EPUB" : "EPUB+MOBI") + "]";
  for (std::size_t i = 0; i < want; ++i) {
    const std::string author(kAuthors[(i + rng.between(0, 3)) % kAuthors.size()]);
    const std::string title = words(rng, kTitleWords, static_cast<int>(rng.between(1, 4)), " ");
    out.files.push_back(
        {author + "/" + title + " (" + std::to_string(i + 1) + ").epub", 0, 0.2 + rng.unit()});
  }
}

}  // namespace

std::size_t max_file_count(ContentStyle style) {
  switch (style) {
    case ContentStyle::kSceneEpisode:
      return 40;
    case ContentStyle::kSceneSeason:
      return 600;
    case ContentStyle::kMovie:
      return 40;
    case ContentStyle::kMusicAlbum:
      return 120;
    case ContentStyle::kDiscography:
      return 600;
    case ContentStyle::kSoftwareIso:
      return 10;
    case ContentStyle::kSourceTree:
      return 1000;
    case ContentStyle::kEbookCollection:
      return 1000;
  }
  return 1;
}

std::size_t natural_file_count(ContentStyle style, Rng& rng) {
  switch (style) {
    case ContentStyle::kSceneEpisode:
      return rng.between(1, 6);
    case ContentStyle::kSceneSeason:
      return rng.between(6, 60);
    case ContentStyle::kMovie:
      return rng.between(1, 8);
    case ContentStyle::kMusicAlbum:
      return rng.between(6, 24);
    case ContentStyle::kDiscography:
      return rng.between(40, 250);
    case ContentStyle::kSoftwareIso:
      return rng.between(1, 3);
    case ContentStyle::kSourceTree:
      return rng.between(20, 300);
    case ContentStyle::kEbookCollection:
      return rng.between(10, 200);
  }
  return 1;
}

ContentLayout make_layout(std::uint64_t seed, ContentStyle style, std::size_t file_count) {
  Rng rng(seed);
  ContentLayout out;
  out.style = style;
  const std::size_t want = std::clamp<std::size_t>(file_count, 1, max_file_count(style));
  switch (style) {
    case ContentStyle::kSceneEpisode:
      scene_episode(out, want, rng);
      break;
    case ContentStyle::kSceneSeason:
      scene_season(out, want, rng);
      break;
    case ContentStyle::kMovie:
      movie(out, want, rng);
      break;
    case ContentStyle::kMusicAlbum:
      music_album(out, want, rng);
      break;
    case ContentStyle::kDiscography:
      discography(out, want, rng);
      break;
    case ContentStyle::kSoftwareIso:
      software_iso(out, want, rng);
      break;
    case ContentStyle::kSourceTree:
      source_tree(out, want, rng);
      break;
    case ContentStyle::kEbookCollection:
      ebook_collection(out, want, rng);
      break;
  }
  return out;
}

}  // namespace magnetar::testnet
