// What a generated torrent looks like to a person: its name and file tree, in
// the styles found on public trackers (scene releases, p2p music, plain
// software names, source trees, collections). Sizes of the large files are
// left to the torrent generator, which scales them to reach a piece count.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace magnetar::testnet {

class Rng;

enum class ContentStyle {
  kSceneEpisode,     // Some.Show.S02E05.1080p.WEB-DL.x264-GRP
  kSceneSeason,      // Some.Show.S02.1080p.BluRay.x264-GRP/Some.Show.S02E01...mkv
  kMovie,            // Movie Title (2019) [1080p] [BluRay]
  kMusicAlbum,       // Artist - Album (2019) [FLAC]
  kDiscography,      // Artist - Discography (1998-2019) [MP3 320]/1998 - Album/01 - Track.mp3
  kSoftwareIso,      // Linux Distro 12.4 amd64
  kSourceTree,       // project-2.4.1/src/net/socket.c
  kEbookCollection,  // Classic Science Fiction Collection [EPUB]/Author/Title.epub
};
inline constexpr int kContentStyleCount = 8;

struct FileEntry {
  // Relative to the torrent's root folder, '/'-separated; for a single-file
  // torrent this is the file name, which is also the torrent's name.
  std::string path;
  // Fixed size in bytes for small files (nfo, subtitles, covers); 0 for a
  // bulk file whose size the generator chooses in proportion to `weight`.
  std::int64_t size = 0;
  double weight = 0;
};

struct ContentLayout {
  std::string name;
  ContentStyle style = ContentStyle::kMovie;
  bool single_file = false;  // a torrent of one file has no root folder (BEP 3)
  std::vector<FileEntry> files;
};

// The most files a style produces however many are asked for.
std::size_t max_file_count(ContentStyle style);
// A typical file count for the style (e.g. 10-20 tracks for an album).
std::size_t natural_file_count(ContentStyle style, Rng& rng);
// Name and files of one torrent, a function of its arguments only.
// `file_count` is a wish the style approaches as it can (between 1 and
// max_file_count). File paths are unique and no folder shares a file's name
// (BEP 52 forbids it).
ContentLayout make_layout(std::uint64_t seed, ContentStyle style, std::size_t file_count);

}  // namespace magnetar::testnet
