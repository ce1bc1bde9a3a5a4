#include "tests/testnet/torrent_generator.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <exception>
#include <iterator>
#include <libtorrent/bencode.hpp>
#include <libtorrent/create_torrent.hpp>
#include <libtorrent/file_storage.hpp>
#include <mutex>
#include <stdexcept>
#include <thread>

#include "common/codec.hpp"
#include "common/sha.hpp"
#include "tests/testnet/content_layout.hpp"
#include "tests/testnet/rng.hpp"

namespace magnetar::testnet {

namespace {

// A v1 info dict spends 20 bytes per piece in "pieces" (BEP 3).
constexpr double kV1BytesPerPiece = 20;
// Rough bytes per file, to plan before measuring: a v1 "files" entry, a v2
// "file tree" entry (with its 32-byte "pieces root", BEP 52), and a hybrid
// file listed in both plus its pad file (BEP 47).
constexpr double kV1BytesPerFile = 70;
constexpr double kV2BytesPerFile = 110;
constexpr double kHybridBytesPerFile = 230;
// Planning passes; each measures the info dict and corrects the plan.
constexpr int kFitPasses = 10;
constexpr int kShrinkPasses = 40;
// Close enough to the target: within 2% (or 100 bytes for small dicts).
constexpr double kFitTolerance = 0.02;
constexpr double kFitToleranceBytes = 100;
// Piece count of v2 torrents, whose pieces do not show in the info dict:
// typical counts, kept moderate since each piece costs a hash to generate.
constexpr std::uint64_t kMinV2Pieces = 20;
constexpr std::uint64_t kMaxV2Pieces = 1500;
// Threads generating torrents at once.
constexpr std::size_t kMaxGeneratorThreads = 8;
// Smallest size of a file whose size the generator chooses.
constexpr std::int64_t kMinBulkFileSize = 4096;

constexpr std::array<ContentStyle, kContentStyleCount> kAllStyles = {
    ContentStyle::kSceneEpisode, ContentStyle::kSceneSeason,    ContentStyle::kMovie,
    ContentStyle::kMusicAlbum,   ContentStyle::kDiscography,    ContentStyle::kSoftwareIso,
    ContentStyle::kSourceTree,   ContentStyle::kEbookCollection};

// log2 of the piece lengths clients pick for such content.
std::pair<int, int> piece_length_log2_range(ContentStyle style) {
  switch (style) {
    case ContentStyle::kSceneEpisode:
    case ContentStyle::kSceneSeason:
    case ContentStyle::kMovie:
      return {20, 24};  // 1-16 MiB
    case ContentStyle::kMusicAlbum:
    case ContentStyle::kDiscography:
      return {18, 21};  // 256 KiB-2 MiB
    case ContentStyle::kSoftwareIso:
      return {20, 23};
    case ContentStyle::kSourceTree:
    case ContentStyle::kEbookCollection:
      return {15, 19};
  }
  return {20, 20};
}

double bytes_per_file(TorrentVersion version) {
  switch (version) {
    case TorrentVersion::kV1:
      return kV1BytesPerFile;
    case TorrentVersion::kV2:
      return kV2BytesPerFile;
    case TorrentVersion::kHybrid:
      return kHybridBytesPerFile;
  }
  return kV1BytesPerFile;
}

// Counts what lt::bencode writes: the planning passes only need sizes.
struct CountingOutput {
  std::size_t* count;
  CountingOutput& operator*() { return *this; }
  CountingOutput& operator++() { return *this; }
  CountingOutput operator++(int) { return *this; }
  CountingOutput& operator=(char) {
    ++*count;
    return *this;
  }
};

struct Built {
  lt::entry torrent;
  std::size_t info_size = 0;
  int piece_count = 0;
  int piece_length = 0;
  std::int64_t total_size = 0;
};

// Sizes: fixed files keep theirs, bulk files share `bulk_total` by weight.
std::vector<std::int64_t> file_sizes(const ContentLayout& layout, std::int64_t bulk_total) {
  double weights = 0;
  for (const auto& f : layout.files) weights += f.size == 0 ? f.weight : 0;
  std::vector<std::int64_t> sizes;
  sizes.reserve(layout.files.size());
  for (const auto& f : layout.files) {
    if (f.size != 0) {
      sizes.push_back(f.size);
    } else {
      const double share = weights > 0 ? f.weight / weights : 0;
      sizes.push_back(std::max<std::int64_t>(
          kMinBulkFileSize, static_cast<std::int64_t>(static_cast<double>(bulk_total) * share)));
    }
  }
  return sizes;
}

Built build(const ContentLayout& layout, const std::vector<std::int64_t>& sizes, int piece_length,
            TorrentVersion version, std::uint64_t hash_seed) {
  lt::file_storage fs;
  Built out;
  for (std::size_t i = 0; i < layout.files.size(); ++i) {
    fs.add_file(
        layout.single_file ? layout.files[i].path : layout.name + "/" + layout.files[i].path,
        sizes[i]);
    out.total_size += sizes[i];
  }
  lt::create_flags_t flags{};
  if (version == TorrentVersion::kV1) flags = lt::create_torrent::v1_only;
  if (version == TorrentVersion::kV2) flags = lt::create_torrent::v2_only;
  lt::create_torrent ct(fs, piece_length, flags);
  ct.set_creation_date(0);  // keeps the .torrent file a function of the seed
  // The digests of content nobody stores: any 20 or 32 bytes will do, since
  // seeders never hash their (disk-less) data.
  Rng rng(hash_seed);
  if (version != TorrentVersion::kV2) {
    for (int p = 0; p < ct.num_pieces(); ++p) {
      lt::sha1_hash h;
      rng.fill(h.data(), h.size());
      ct.set_hash(lt::piece_index_t(p), h);
    }
  }
  if (version != TorrentVersion::kV1) {
    const lt::file_storage& files = ct.files();
    for (const lt::file_index_t f : files.file_range()) {
      if (files.pad_file_at(f) || files.file_size(f) == 0) continue;
      for (int p = 0; p < files.file_num_pieces(f); ++p) {
        lt::sha256_hash h;
        rng.fill(h.data(), h.size());
        ct.set_hash2(f, p, h);
      }
    }
  }
  out.torrent = ct.generate();
  lt::bencode(CountingOutput{&out.info_size}, out.torrent["info"]);
  out.piece_count = ct.num_pieces();
  out.piece_length = ct.piece_length();
  return out;
}

ContentStyle pick_style(Rng& rng, TorrentVersion version, double target) {
  // A v2 info dict holds no piece hashes, so its size comes from its files:
  // pick a style that can have that many.
  const double files_needed = version == TorrentVersion::kV2 ? target / kV2BytesPerFile : 1;
  std::vector<ContentStyle> fit;
  for (const ContentStyle s : kAllStyles) {
    if (static_cast<double>(max_file_count(s)) >= files_needed) fit.push_back(s);
  }
  if (fit.empty()) fit.push_back(ContentStyle::kSourceTree);
  return fit[rng.between(0, fit.size() - 1)];
}

}  // namespace

std::string_view to_string(TorrentVersion version) {
  switch (version) {
    case TorrentVersion::kV1:
      return "v1";
    case TorrentVersion::kV2:
      return "v2";
    case TorrentVersion::kHybrid:
      return "hybrid";
  }
  return "?";
}

TorrentVersion VersionMix::at(std::size_t index) const {
  const std::size_t total = std::size_t{v1} + v2 + hybrid;
  if (total == 0) return TorrentVersion::kV1;
  // Interleave rather than run in blocks: v1, v2, hybrid, v1, v2, hybrid...
  // for equal weights; a weighted round robin otherwise.
  std::size_t slot = index % total;
  const std::array<unsigned, 3> weights = {v1, v2, hybrid};
  const unsigned rounds = *std::max_element(weights.begin(), weights.end());
  for (unsigned r = 0; r < rounds; ++r) {
    for (std::size_t k = 0; k < weights.size(); ++k) {
      if (r >= weights[k]) continue;
      if (slot == 0) return static_cast<TorrentVersion>(k);
      --slot;
    }
  }
  return TorrentVersion::kV1;
}

std::string GeneratedTorrent::magnet() const {
  std::string out = "magnet:?";
  if (info_hashes.v1) out += "xt=urn:btih:" + info_hashes.v1->hex() + "&";
  // BEP 52: multihash of SHA-256, code 0x12, length 0x20.
  if (info_hashes.v2) out += "xt=urn:btmh:1220" + info_hashes.v2->hex() + "&";
  out += "dn=" + percent_encode(name);
  return out;
}

GeneratedTorrent generate_torrent(std::uint64_t seed, TorrentVersion version,
                                  std::size_t target_info_size, std::size_t max_info_size) {
  Rng rng(seed);
  const double target =
      static_cast<double>(std::min(std::max<std::size_t>(target_info_size, 1), max_info_size));
  const ContentStyle style = pick_style(rng, version, target);
  const std::uint64_t layout_seed = rng.next();
  const std::uint64_t hash_seed = rng.next();
  const auto [lo, hi] = piece_length_log2_range(style);
  const int piece_length = 1 << rng.between(lo, hi);

  // Files: v2 sizes come from the file tree alone; v1 and hybrid keep files
  // to about half the budget and make up the rest with pieces.
  std::size_t files = version == TorrentVersion::kV2
                          ? static_cast<std::size_t>(target / kV2BytesPerFile)
                          : natural_file_count(style, rng);
  if (version != TorrentVersion::kV2) {
    files = std::min(files, static_cast<std::size_t>(target / 2 / bytes_per_file(version)));
  }
  files = std::clamp<std::size_t>(files, 1, max_file_count(style));
  // Pieces: v2 torrents get a realistic count that does not show in the
  // info dict; v1 and hybrid a first guess, corrected below.
  const double first_pieces =
      version == TorrentVersion::kV2
          ? static_cast<double>(rng.between(kMinV2Pieces, kMaxV2Pieces))
          : std::max(1.0, (target - static_cast<double>(files) * bytes_per_file(version)) /
                              kV1BytesPerPiece);
  double bulk_total = first_pieces * piece_length;

  auto fits = [&](std::size_t size) {
    return size <= max_info_size && std::abs(static_cast<double>(size) - target) <=
                                        std::max(kFitToleranceBytes, kFitTolerance * target);
  };

  ContentLayout layout;
  Built built;
  for (int pass = 0; pass < kFitPasses + kShrinkPasses; ++pass) {
    layout = make_layout(layout_seed, style, files);
    const std::vector<std::int64_t> sizes =
        file_sizes(layout, static_cast<std::int64_t>(bulk_total));
    built = build(layout, sizes, piece_length, version, hash_seed);
    const double size = static_cast<double>(built.info_size);
    if (fits(built.info_size)) break;
    if (pass >= kFitPasses) {
      // Out of planning passes: only make sure the dict is not too large.
      if (built.info_size <= max_info_size) break;
      if (version == TorrentVersion::kV2 || bulk_total <= kMinBulkFileSize) {
        files = std::max<std::size_t>(1, files * 4 / 5);
      } else {
        bulk_total *= 0.8;
      }
      continue;
    }
    if (version == TorrentVersion::kV2) {
      const auto next = static_cast<std::size_t>(
          std::max(1.0, std::round(static_cast<double>(files) * target / size)));
      if (std::clamp<std::size_t>(next, 1, max_file_count(style)) == files &&
          built.info_size <= max_info_size) {
        break;  // the style cannot get closer
      }
      files = std::clamp<std::size_t>(next, 1, max_file_count(style));
      continue;
    }
    const double piece_bytes = kV1BytesPerPiece * built.piece_count;
    const double overhead = size - piece_bytes;
    if (overhead > 0.8 * target && files > 1) {
      files = std::max<std::size_t>(
          1, static_cast<std::size_t>(static_cast<double>(files) * 0.5 * target / overhead));
      continue;
    }
    const double want_pieces = std::max(1.0, (target - overhead) / kV1BytesPerPiece);
    // Scale the bulk files by the change in piece count they must make.
    double fixed_pieces = 0;
    for (std::size_t i = 0; i < layout.files.size(); ++i) {
      if (layout.files[i].size != 0) {
        fixed_pieces += version == TorrentVersion::kHybrid
                            ? std::ceil(static_cast<double>(sizes[i]) / piece_length)
                            : static_cast<double>(sizes[i]) / piece_length;
      }
    }
    const double bulk_pieces = std::max(1.0, built.piece_count - fixed_pieces);
    bulk_total = std::max<double>(
        kMinBulkFileSize, bulk_total * std::max(0.05, want_pieces - fixed_pieces) / bulk_pieces);
  }
  if (built.info_size > max_info_size) {
    throw std::logic_error("testnet: cannot fit an info dict under " +
                           std::to_string(max_info_size) + " bytes");
  }

  GeneratedTorrent out;
  out.name = layout.single_file ? layout.files.front().path : layout.name;
  out.version = version;
  // Into a vector first: its push_back inlines, std::string's does not
  // (half the time of generating a torrent went there).
  std::vector<char> buffer;
  buffer.reserve(built.info_size);
  lt::bencode(std::back_inserter(buffer), built.torrent["info"]);
  out.info_dict.assign(buffer.begin(), buffer.end());
  buffer.clear();
  lt::bencode(std::back_inserter(buffer), built.torrent);
  out.torrent_file.assign(buffer.begin(), buffer.end());
  if (version != TorrentVersion::kV2) out.info_hashes.v1 = InfoHashV1(sha1(out.info_dict));
  if (version != TorrentVersion::kV1) out.info_hashes.v2 = InfoHashV2(sha256(out.info_dict));
  out.file_count = layout.files.size();
  out.total_size = built.total_size;
  out.piece_length = built.piece_length;
  out.piece_count = built.piece_count;
  return out;
}

std::vector<GeneratedTorrent> generate_torrents(const GeneratorOptions& options) {
  // Targets follow min + (max - min) * u^k, u uniform in [0, 1): a long
  // tail of large dicts as on the real network, with the mean
  // min + (max - min) / (k + 1) set to the requested average.
  const double lo = static_cast<double>(std::min(options.min_info_size, options.average_info_size));
  const double hi = static_cast<double>(options.max_info_size);
  const double avg = std::clamp(static_cast<double>(options.average_info_size), lo, hi);
  const double k = avg > lo && hi > lo ? (hi - lo) / (avg - lo) - 1 : 0;

  auto one = [&](std::size_t i) {
    const std::uint64_t seed = Rng::derive(options.seed, i);
    Rng rng(seed);
    const double target = avg > lo && hi > lo ? lo + (hi - lo) * std::pow(rng.unit(), k) : avg;
    return generate_torrent(rng.next(), options.versions.at(i), static_cast<std::size_t>(target),
                            options.max_info_size);
  };
  // Torrents are independent: generate them on every core (2,000 of them
  // take seconds on one).
  std::vector<GeneratedTorrent> out(options.count);
  const std::size_t threads =
      std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, kMaxGeneratorThreads);
  std::atomic<std::size_t> next{0};
  std::exception_ptr error;
  std::mutex error_mutex;
  auto work = [&] {
    for (std::size_t i = next++; i < out.size(); i = next++) {
      try {
        out[i] = one(i);
      } catch (...) {
        std::lock_guard lock(error_mutex);
        error = std::current_exception();
      }
    }
  };
  std::vector<std::thread> pool;
  for (std::size_t t = 1; t < std::min(threads, out.size()); ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return out;
}

}  // namespace magnetar::testnet
