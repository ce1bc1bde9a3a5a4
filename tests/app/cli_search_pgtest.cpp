// The CLI client of the public API end to end: the real `magnetar` binary
// runs `serve` against the test PostgreSQL, torrents are seeded through the
// real ingest path (info dict -> classifier -> store) into the same
// database, and the real binary's `search`, `show`, `torrent-file`, `stats`,
// `delete` and `block` are checked on what they print and their exit codes.
#include <gtest/gtest.h>

#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>
#include <regex>
#include <sstream>

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "common/codec.hpp"
#include "common/sha.hpp"
#include "indexer/classify/banned_filter.hpp"
#include "indexer/classify/classifier.hpp"
#include "indexer/ingest/ingest_pipeline.hpp"
#include "indexer/store/pg_torrent_store.hpp"
#include "rpc/hub/pg_pin_store.hpp"
#include "schema/migrator.hpp"
#include "tests/support/background_process.hpp"
#include "tests/support/info_dicts.hpp"
#include "tests/support/run_command.hpp"
#include "tests/support/self_signed.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/support/test_database.hpp"

namespace magnetar {
namespace {

using namespace std::chrono_literals;
using testing::run_command;
namespace store = indexer::store;

constexpr char kToken[] = "cli-search-test-token";
// `magnetar serve` over an already migrated database starts in a second or
// two; this is for a loaded CI machine.
constexpr auto kServeStart = 120s;

std::string hex_id(const std::string& info) {
  const auto d = sha1(info);
  return to_hex({reinterpret_cast<const char*>(d.data()), d.size()});
}

// A multi-file info dict (BEP 3): files given as path components and length.
std::string multi_file_info_dict(
    const std::string& name,
    const std::vector<std::pair<std::vector<std::string>, std::int64_t>>& files) {
  constexpr std::int64_t kPiece = 16384;
  std::int64_t total = 0;
  std::string out;
  bencode::Encoder e(out);
  e.dict().string("files").list();
  for (const auto& [path, length] : files) {
    total += length;
    e.dict().string("length").integer(length).string("path").list();
    for (const auto& part : path) e.string(part);
    e.end().end();
  }
  e.end();
  const auto pieces = (total + kPiece - 1) / kPiece;
  e.string("name")
      .string(name)
      .string("piece length")
      .integer(kPiece)
      .string("pieces")
      .string(std::string(static_cast<std::size_t>(pieces) * 20, 'p'))
      .end();
  return out;
}

const std::string kMatrix =
    testing::single_file_info_dict("The.Matrix.1999.1080p.BluRay.x264.mkv", 8'000'000'000);
const std::string kBreakingBad =
    testing::single_file_info_dict("Breaking.Bad.S01E02.720p.HDTV.mkv", 1'000'000'000);
const std::string kUbuntu =
    testing::single_file_info_dict("ubuntu-22.04-desktop-amd64.iso", 3'000'000'000);
const std::string kWall = multi_file_info_dict("Pink Floyd - The Wall (1979) [FLAC]",
                                               {{{"CD1", "01 In the Flesh.flac"}, 30'000'000},
                                                {{"CD1", "02 The Thin Ice.flac"}, 25'000'000},
                                                {{"CD2", "01 Hey You.flac"}, 35'000'000},
                                                {{"cover.jpg"}, 200'000}});
// A hostile name: an escape sequence that would turn the terminal red and a
// right-to-left override that would show "vkm.exe" as "exe.mkv".
const std::string kHostile =
    testing::single_file_info_dict("Evil\x1b[31mRed\xE2\x80\xAEvkm.exe", 1'000'000);

// A self-signed certificate for 127.0.0.1, as PEM.
using testing::make_self_signed;
using testing::SelfSigned;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

class CliSearchTest : public ::testing::Test {
 protected:
  void SetUp() override {
    pqxx::connection c(db_.dsn());
    schema::migrate(c);
  }

  // Seeds through the real ingest path; returns once every record committed.
  // ages: how long ago each was first seen (sort order by date).
  void seed(const std::vector<std::pair<std::string, std::chrono::seconds>>& items) {
    store::PgTorrentStore store(store::PgTorrentStoreOptions{
        .dsn = db_.dsn(), .raw_info_policy = store::RawInfoPolicy::kAll});
    auto rules = indexer::classify::Rules::defaults();
    ASSERT_TRUE(rules.ok());
    indexer::classify::Classifier classifier(*rules);
    indexer::classify::BannedFilter banned(indexer::classify::BannedRules{});
    indexer::ingest::IngestPipeline pipeline(store, classifier, banned);
    for (const auto& [info, age] : items) {
      std::promise<void> done;
      pipeline.ingest({info, store::Source::kDhtSample, std::chrono::system_clock::now() - age},
                      [&] { done.set_value(); });
      ASSERT_EQ(done.get_future().wait_for(30s), std::future_status::ready);
    }
    store.close();
  }

  void seed_corpus() {
    seed({{kMatrix, 500s}, {kBreakingBad, 400s}, {kUbuntu, 300s}, {kWall, 200s}});
  }

  // `magnetar serve` on loopback with the given extra flags; returns the API
  // address it printed.
  std::string serve(std::vector<std::string> extra = {"--api-token", kToken}) {
    std::filesystem::permissions(dir_.path(), std::filesystem::perms::others_exec,
                                 std::filesystem::perm_options::add);
    std::vector<std::string> argv = {MAGNETAR_BINARY, "serve",       "--db-dsn",     db_.dsn(),
                                     "--data-dir",    data_dir(),    "--hub-listen", "127.0.0.1:0",
                                     "--api-listen",  "127.0.0.1:0", "--log-level",  "warn"};
    argv.insert(argv.end(), extra.begin(), extra.end());
    serve_ = std::make_unique<testing::BackgroundProcess>(argv);
    const auto line = serve_->wait_for_line("API on ", kServeStart);
    EXPECT_TRUE(line.has_value()) << serve_->output();
    if (!line) return "127.0.0.1:1";
    std::smatch m;
    EXPECT_TRUE(std::regex_search(*line, m, std::regex("API on (127\\.0\\.0\\.1:[0-9]+)")))
        << *line;
    api_ = m.size() > 1 ? m[1].str() : "127.0.0.1:1";
    return api_;
  }

  std::string data_dir() const { return (dir_.path() / "data").string(); }

  // The CLI as a user runs it: `magnetar COMMAND --api ADDR ARGS...`, with a
  // data dir holding no token unless the test put one there.
  testing::CommandResult cli(const std::string& command, std::vector<std::string> args,
                             std::vector<std::string> env = {}) {
    std::vector<std::string> argv = {MAGNETAR_BINARY, command, "--api", api_};
    argv.insert(argv.end(), args.begin(), args.end());
    if (std::find(argv.begin(), argv.end(), "--data-dir") == argv.end() &&
        std::find(argv.begin(), argv.end(), "--") == argv.end()) {
      argv.push_back("--data-dir");
      argv.push_back((dir_.path() / "client").string());
    }
    env.push_back("MAGNETAR_API_TOKEN=");
    return run_command(argv, env);
  }

  nlohmann::json cli_json(const std::string& command, std::vector<std::string> args) {
    args.push_back("--json");
    const auto r = cli(command, args);
    EXPECT_EQ(r.exit_code, 0) << r.out;
    auto j = nlohmann::json::parse(r.out, nullptr, false);
    EXPECT_FALSE(j.is_discarded()) << r.out;
    return j;
  }

  testing::TestDatabase db_;
  testing::TempDir dir_;
  std::unique_ptr<testing::BackgroundProcess> serve_;
  std::string api_;
};

TEST_F(CliSearchTest, SearchPrintsAnAlignedTableWithTotalAndFacets) {
  seed_corpus();
  serve();
  const auto r = cli("search", {"matrix"});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  std::istringstream lines(r.out);
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  EXPECT_EQ(header.find("SIZE"), 3u) << r.out;  // right-aligned over "7.5 GiB"
  EXPECT_EQ(row.rfind("7.5 GiB  movie  ", 0), 0u) << r.out;
  // Every column starts where its header does.
  EXPECT_EQ(header.find("NAME"), row.find("The.Matrix.1999.1080p.BluRay.x264.mkv")) << r.out;
  EXPECT_EQ(header.find("INFOHASH"), row.find(hex_id(kMatrix))) << r.out;
  EXPECT_TRUE(contains(r.out, "\n1 of 1\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "by type: movie 1\n")) << r.out;
  EXPECT_FALSE(contains(r.out, "next page")) << r.out;
}

TEST_F(CliSearchTest, SearchJsonIsTheResponseForScripts) {
  seed_corpus();
  serve();
  const auto j = cli_json("search", {"--type", "episode,movie", "--sort", "size"});
  ASSERT_EQ(j["torrents"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["torrents"][0]["name"], "The.Matrix.1999.1080p.BluRay.x264.mkv");
  EXPECT_EQ(j["torrents"][0]["infoHash"], hex_id(kMatrix));
  EXPECT_EQ(j["torrents"][0]["sizeBytes"], "8000000000");  // proto3 JSON: int64 as a string
  EXPECT_EQ(j["torrents"][0]["contentType"], "CONTENT_TYPE_MOVIE");
  EXPECT_EQ(j["torrents"][1]["name"], "Breaking.Bad.S01E02.720p.HDTV.mkv");
  EXPECT_EQ(j["torrents"][1]["season"], 1);
  EXPECT_EQ(j["total"]["value"], "2");
  EXPECT_EQ(j["total"]["estimated"], false);
  EXPECT_EQ(j["nextPageToken"], "");
}

TEST_F(CliSearchTest, FiltersMapToTheRequest) {
  seed_corpus();
  serve();
  const auto names = [&](std::vector<std::string> args) {
    std::vector<std::string> out;
    const auto j = cli_json("search", std::move(args));
    for (const auto& t : j["torrents"]) out.push_back(t["name"]);
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names({"--min-size", "2G", "--sort", "size", "--asc"}),
            (V{"ubuntu-22.04-desktop-amd64.iso", "The.Matrix.1999.1080p.BluRay.x264.mkv"}));
  EXPECT_EQ(names({"--max-size", "100MB"}), V{"Pink Floyd - The Wall (1979) [FLAC]"});
  EXPECT_EQ(names({"--resolution", "720p"}), V{"Breaking.Bad.S01E02.720p.HDTV.mkv"});
  EXPECT_EQ(names({"--year", "1999"}), V{"The.Matrix.1999.1080p.BluRay.x264.mkv"});
  EXPECT_EQ(names({"--season", "1", "--episode", "2"}), V{"Breaking.Bad.S01E02.720p.HDTV.mkv"});
  EXPECT_EQ(names({"--ext", "flac"}), V{"Pink Floyd - The Wall (1979) [FLAC]"});
  // Newest first by default without a query; --asc turns it round.
  EXPECT_EQ(names({"--limit", "2"}),
            (V{"Pink Floyd - The Wall (1979) [FLAC]", "ubuntu-22.04-desktop-amd64.iso"}));
  EXPECT_EQ(names({"--limit", "1", "--asc"}), V{"The.Matrix.1999.1080p.BluRay.x264.mkv"});
  // The query language goes through as typed; unquoted words are joined.
  EXPECT_EQ(names({"pink OR breaking -bad", "--sort", "first_seen"}),
            V{"Pink Floyd - The Wall (1979) [FLAC]"});
  EXPECT_EQ(names({"breaking", "bad"}), V{"Breaking.Bad.S01E02.720p.HDTV.mkv"});
  EXPECT_EQ(names({"matr* OR ubuntu", "--sort", "size"}),
            (V{"The.Matrix.1999.1080p.BluRay.x264.mkv", "ubuntu-22.04-desktop-amd64.iso"}));
  EXPECT_EQ(names({"\"breaking bad\""}), V{"Breaking.Bad.S01E02.720p.HDTV.mkv"});
}

TEST_F(CliSearchTest, TheNextPageHintIsACommandThatGivesTheNextPage) {
  seed_corpus();
  serve();
  std::vector<std::string> seen;
  std::vector<std::string> args = {"--limit", "3", "--sort", "size"};
  for (int page = 0; page < 5; ++page) {
    const auto r = cli("search", args);
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const char* name : {"The.Matrix", "ubuntu", "Breaking.Bad", "Pink Floyd"}) {
      if (contains(r.out, name)) seen.push_back(name);
    }
    std::smatch m;
    if (!std::regex_search(r.out, m, std::regex("next page: (magnetar search .*)\n"))) break;
    // The hint repeats the flags and adds the token (no shell needed here:
    // the token is a plain word).
    const std::string hint = m[1];
    EXPECT_TRUE(contains(hint, "--sort size --limit 3 --api " + api_ + " --page-token ")) << hint;
    std::istringstream words(hint.substr(std::string("magnetar search ").size()));
    args.clear();
    for (std::string w; words >> w;) args.push_back(w);
    // cli() adds --api itself.
    const auto api = std::find(args.begin(), args.end(), "--api");
    ASSERT_NE(api, args.end());
    args.erase(api, api + 2);
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"The.Matrix", "ubuntu", "Breaking.Bad", "Pink Floyd"}));
}

TEST_F(CliSearchTest, ABadQueryIsOneLineOnStderrAndExitCode1) {
  seed_corpus();
  serve();
  const auto r = cli("search", {"\"unclosed phrase"});
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_EQ(r.out.rfind("magnetar search: query: ", 0), 0u) << r.out;
  EXPECT_EQ(std::count(r.out.begin(), r.out.end(), '\n'), 1) << r.out;
}

TEST_F(CliSearchTest, UsageErrorsExitWithCode2BeforeAnyCall) {
  // No server: a usage error never gets as far as connecting.
  api_ = "127.0.0.1:1";
  for (const auto& args : std::vector<std::vector<std::string>>{{"--min-size", "1X"},
                                                                {"--type", "films"},
                                                                {"--sort", "date"},
                                                                {"--limit", "500"},
                                                                {"--resolution", "hd"},
                                                                {"--seen-after", "2023-02-30"}}) {
    const auto r = cli("search", args);
    EXPECT_EQ(r.exit_code, 2) << args[0] << ": " << r.out;
    EXPECT_FALSE(contains(r.out, "cannot reach")) << r.out;
  }
  EXPECT_EQ(cli("show", {}).exit_code, 2);
  EXPECT_EQ(cli("delete", {}).exit_code, 2);
}

TEST_F(CliSearchTest, AnUnreachableServerIsNamedWithAHint) {
  api_ = "127.0.0.1:1";
  for (const char* command : {"stats", "search"}) {
    const auto r = cli(command, {});
    EXPECT_EQ(r.exit_code, 1) << r.out;
    EXPECT_EQ(r.out, std::string("magnetar ") + command +
                         ": cannot reach magnetar at 127.0.0.1:1: is `magnetar serve` running?\n");
  }
}

TEST_F(CliSearchTest, HelpExplainsTheQueryLanguage) {
  const auto r = run_command({MAGNETAR_BINARY, "search", "--help"});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  for (const char* part : {"\"the matrix\"", "-cam", "OR", "matr*", "--type", "--min-size"}) {
    EXPECT_TRUE(contains(r.out, part)) << part << " missing from\n" << r.out;
  }
  const auto top = run_command({MAGNETAR_BINARY, "--help"});
  for (const char* command : {"search", "show", "torrent-file", "stats", "delete", "block"}) {
    EXPECT_TRUE(contains(top.out, command)) << command << " missing from\n" << top.out;
  }
}

TEST_F(CliSearchTest, ShowPrintsDetailsFilesAndTheMagnet) {
  seed_corpus();
  serve();
  const auto id = hex_id(kWall);
  const auto r = cli("show", {id});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "name        Pink Floyd - The Wall (1979) [FLAC]\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "infohash    " + id + "\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "type        music")) << r.out;
  EXPECT_TRUE(contains(r.out, "in 4 files")) << r.out;
  EXPECT_TRUE(contains(r.out, "magnet      magnet:?xt=urn:btih:" + id)) << r.out;
  EXPECT_TRUE(contains(r.out, "stored: magnetar torrent-file " + id)) << r.out;
  EXPECT_TRUE(contains(r.out, "files (4):\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "   28.6 MiB  CD1/01 In the Flesh.flac\n")) << r.out;
  EXPECT_TRUE(contains(r.out, "  195.3 KiB  cover.jpg\n")) << r.out;

  // The same torrent named by its magnet link, its files as a tree.
  const auto tree = cli("show", {"magnet:?xt=urn:btih:" + id + "&dn=x", "--tree"});
  ASSERT_EQ(tree.exit_code, 0) << tree.out;
  EXPECT_TRUE(contains(tree.out,
                       "files (4):\n"
                       "             CD1/\n"
                       "   28.6 MiB    01 In the Flesh.flac\n"
                       "   23.8 MiB    02 The Thin Ice.flac\n"
                       "             CD2/\n"
                       "   33.4 MiB    01 Hey You.flac\n"
                       "  195.3 KiB  cover.jpg\n"))
      << tree.out;

  const auto j = cli_json("show", {id});
  EXPECT_EQ(j["summary"]["infoHash"], id);
  EXPECT_EQ(j["files"].size(), 4u);
  EXPECT_EQ(j["infoDictStored"], true);
}

TEST_F(CliSearchTest, NamesFromTheDhtNeverReachTheTerminalRaw) {
  // Through ingest, the store's rule already turns control characters into
  // U+FFFD.
  seed({{kHostile, 10s}});
  // A row written by other means (another version, a hand-edited table):
  // the client does not rely on the server's rule. OSC 52 would write the
  // clipboard, BEL ends it, U+202E reverses what follows.
  const std::string raw_name =
      "Raw\x1b]52;c;aGk=\x07"
      "Clip\xE2\x80\xAEvkm.exe";
  const std::string raw_id(40, '4');
  {
    pqxx::connection c(db_.dsn());
    pqxx::work tx(c);
    tx.exec_params(
        "INSERT INTO torrents (first_seen, last_seen, total_size, file_count, piece_length, "
        "source, private, id, name) VALUES (now(), now(), 1, 1, 16384, 1, false, "
        "decode($1, 'hex'), $2)",
        raw_id, raw_name);
    tx.commit();
  }
  serve();
  for (const auto& r :
       {cli("search", {}), cli("show", {hex_id(kHostile)}), cli("show", {raw_id})}) {
    ASSERT_EQ(r.exit_code, 0) << r.out;
    for (const char* raw : {"\x1b", "\x07", "\xE2\x80\xAE"}) {
      EXPECT_FALSE(contains(r.out, raw)) << r.out;
    }
  }
  EXPECT_TRUE(contains(cli("search", {}).out, "Evil\xEF\xBF\xBD[31mRed\xEF\xBF\xBDvkm.exe"));
  const auto shown = cli("show", {raw_id}).out;
  EXPECT_TRUE(contains(shown, "name        Raw\\x1B]52;c;aGk=\\x07Clip\\u{202E}vkm.exe\n"))
      << shown;
  // JSON keeps the name exact (escaped the JSON way) for scripts.
  EXPECT_EQ(cli_json("show", {raw_id})["summary"]["name"], raw_name);
}

TEST_F(CliSearchTest, ShowOfAnUnknownOrMalformedIdFailsWithTheReason) {
  seed_corpus();
  serve();
  const auto unknown = cli("show", {std::string(40, 'a')});
  EXPECT_EQ(unknown.exit_code, 1) << unknown.out;
  EXPECT_EQ(unknown.out, "magnetar show: not indexed: " + std::string(40, 'a') + "\n");
  const auto bad = cli("show", {"not-a-hash"});
  EXPECT_EQ(bad.exit_code, 1) << bad.out;
  EXPECT_EQ(bad.out.rfind("magnetar show: id: ", 0), 0u) << bad.out;
}

TEST_F(CliSearchTest, TorrentFileWritesTheInfoDictUnderItsInfohash) {
  seed_corpus();
  serve();
  const auto file = dir_.path() / "wall.torrent";
  const auto r = cli("torrent-file", {hex_id(kWall), "-o", file.string()});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "wrote " + file.string())) << r.out;
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  auto doc = bencode::decode(bytes);
  ASSERT_TRUE(doc.ok());
  const auto info = doc->root().find("info");
  ASSERT_TRUE(info.has_value());
  EXPECT_EQ(info->raw(), kWall);
  // It does not replace a file unless told to.
  const auto again = cli("torrent-file", {hex_id(kWall), "-o", file.string()});
  EXPECT_EQ(again.exit_code, 1) << again.out;
  EXPECT_TRUE(contains(again.out, "exists (--force to replace it)")) << again.out;
  EXPECT_EQ(cli("torrent-file", {hex_id(kWall), "-o", file.string(), "--force"}).exit_code, 0);
}

TEST_F(CliSearchTest, StatsCountsTheIndex) {
  seed_corpus();
  serve();
  const auto r = cli("stats", {});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("torrents +4\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("blocked infohashes +0\n"))) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\n  movie +1\n"))) << r.out;
  const auto j = cli_json("stats", {});
  EXPECT_EQ(j["torrents"], "4");
  EXPECT_EQ(j["contentTypes"].size(), 4u) << j.dump(2);
}

TEST_F(CliSearchTest, StatsListsPinsAndKeepersAndHintsWhenNoPeerReachedALiveKeeper) {
  namespace db = rpc::pin_store;
  seed_corpus();
  const auto matrix = *InfoHashV1::from_hex(hex_id(kMatrix));
  const auto unknown = *InfoHashV1::from_hex(std::string(40, 'c'));
  const auto counters = [](const InfoHashV1& id, std::uint64_t incoming, std::uint64_t served) {
    db::PinCounters k;
    k.id = id;
    k.incoming_connections = incoming;
    k.metadata_served = served;
    return std::vector{k};
  };
  pqxx::connection c(db_.dsn());
  for (const auto& id : {matrix, unknown}) {
    db::NewPin p;
    p.id = id;
    ASSERT_EQ(db::upsert_pin(c, p), db::UpsertOutcome::kCreated);
  }
  // keeper-a: live, holding the pins, never reached by a peer; keeper-b:
  // reached, but its last heartbeat is two hours old.
  db::record_hello(c, "keeper-a", "203.0.113.7", 6882);
  db::record_heartbeat(c, "keeper-a", counters(matrix, 0, 0));
  db::record_hello(c, "keeper-b", "", 51413);
  db::record_heartbeat(c, "keeper-b", counters(unknown, 1234, 2));
  {
    pqxx::work tx(c);
    tx.exec(
        "UPDATE keepers SET last_heartbeat = now() - interval '2 hours 5 minutes' "
        "WHERE node_id = 'keeper-b'");
    tx.commit();
  }
  serve();

  const auto r = cli("stats", {});
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(std::regex_search(r.out, std::regex("\npins +2\n  alive +1\n  resolving +1\n"
                                                  "  failed +0\n")))
      << r.out;
  const auto table = r.out.find("\nkeepers:\n");
  ASSERT_NE(table, std::string::npos) << r.out;
  std::istringstream lines(r.out.substr(table + 10));
  std::string header, a, b, hint;
  std::getline(lines, header);
  std::getline(lines, a);
  std::getline(lines, b);
  std::getline(lines, hint);
  EXPECT_TRUE(std::regex_match(header, std::regex("  NODE +ADDRESS +STATE +PINS +INCOMING +SERVED "
                                                  " LAST HEARTBEAT")))
      << r.out;
  EXPECT_TRUE(std::regex_match(
      a, std::regex("  keeper-a +203\\.0\\.113\\.7:6882 +live +1 +0 +0  [0-9]+s ago")))
      << r.out;
  EXPECT_TRUE(
      std::regex_match(b, std::regex("  keeper-b +\\(auto\\):51413 +stale +1 +1,234 +2  2h ago")))
      << r.out;
  // Aligned: text columns start under their header, numbers end under it.
  EXPECT_EQ(header.find("ADDRESS"), a.find("203.0.113.7")) << r.out;
  EXPECT_EQ(header.find("STATE"), b.find("stale")) << r.out;
  EXPECT_EQ(header.find("INCOMING") + 8, b.find("1,234") + 5) << r.out;
  EXPECT_EQ(header.find("LAST HEARTBEAT"), b.find("2h ago")) << r.out;
  EXPECT_EQ(hint,
            "no peer has connected to a keeper yet: check keeper.announce_address/"
            "keeper.peer_port and that the port is reachable")
      << r.out;

  auto j = cli_json("stats", {});
  EXPECT_EQ(j["pins"]["total"], "2") << j.dump(2);
  EXPECT_EQ(j["pins"]["alive"], "1") << j.dump(2);
  EXPECT_EQ(j["pins"]["resolving"], "1") << j.dump(2);
  EXPECT_EQ(j["pins"]["failed"], "0") << j.dump(2);
  ASSERT_EQ(j["keepers"].size(), 2u) << j.dump(2);
  EXPECT_EQ(j["keepers"][0]["nodeId"], "keeper-a");
  EXPECT_EQ(j["keepers"][0]["announceAddress"], "203.0.113.7");
  EXPECT_EQ(j["keepers"][0]["peerPort"], 6882);
  EXPECT_EQ(j["keepers"][0]["live"], true);
  EXPECT_EQ(j["keepers"][0]["incomingConnections"], "0");
  EXPECT_EQ(j["keepers"][1]["nodeId"], "keeper-b");
  EXPECT_EQ(j["keepers"][1]["live"], false);
  EXPECT_EQ(j["keepers"][1]["incomingConnections"], "1234");
  EXPECT_EQ(j["keepers"][1]["metadataServed"], "2");
  EXPECT_TRUE(j["keepers"][1]["lastHeartbeat"].is_string()) << j.dump(2);

  // Once a peer reached the live keeper, the hint is gone.
  db::record_heartbeat(c, "keeper-a", counters(matrix, 1, 1));
  const auto reached = cli("stats", {});
  ASSERT_EQ(reached.exit_code, 0) << reached.out;
  EXPECT_TRUE(contains(reached.out, "\nkeepers:\n")) << reached.out;
  EXPECT_FALSE(contains(reached.out, "no peer has connected")) << reached.out;
}

TEST_F(CliSearchTest, DeleteNeedsTheTokenThenRemovesTheTorrentForGood) {
  seed_corpus();
  serve();
  const auto id = hex_id(kMatrix);
  const auto refused = cli("delete", {id});
  EXPECT_EQ(refused.exit_code, 1) << refused.out;
  EXPECT_EQ(refused.out.rfind("magnetar delete: this needs the API token", 0), 0u) << refused.out;
  const auto wrong = cli("delete", {id, "--api-token", "not-the-token"});
  EXPECT_EQ(wrong.exit_code, 1) << wrong.out;
  EXPECT_EQ(wrong.out.rfind("magnetar delete: the API token was refused", 0), 0u) << wrong.out;
  EXPECT_EQ(cli_json("search", {"matrix"})["torrents"].size(), 1u);

  const auto deleted = cli("delete", {id, "--reason", "test", "--api-token", kToken});
  EXPECT_EQ(deleted.exit_code, 0) << deleted.out;
  EXPECT_EQ(deleted.out, "deleted " + id + "\n");
  EXPECT_EQ(cli_json("search", {"matrix"})["torrents"].size(), 0u);
  EXPECT_EQ(cli("show", {id}).exit_code, 1);
  // Ingested again, it stays out: the infohash is blocked.
  seed({{kMatrix, 1s}});
  EXPECT_EQ(cli_json("search", {"matrix"})["torrents"].size(), 0u);
  // A second delete finds nothing indexed.
  const auto twice = cli("delete", {id}, {std::string("MAGNETAR_API_TOKEN=") + kToken});
  EXPECT_EQ(twice.exit_code, 0) << twice.out;
  EXPECT_EQ(twice.out, "was not indexed, blocked anyway: " + id + "\n");
}

TEST_F(CliSearchTest, BlockUsesTheTokenServeGeneratedInTheDataDir) {
  seed_corpus();
  serve({});  // no api.token: serve writes data_dir/api-token
  const auto id = hex_id(kUbuntu);
  const auto blocked = cli("block", {id, "--data-dir", data_dir()});
  EXPECT_EQ(blocked.exit_code, 0) << blocked.out;
  EXPECT_EQ(blocked.out, "blocked " + id + " (it was indexed: removed)\n");
  EXPECT_EQ(cli_json("search", {"ubuntu"})["torrents"].size(), 0u);
  const auto unknown = cli_json("block", {std::string(40, 'b'), "--data-dir", data_dir()});
  EXPECT_EQ(unknown["existed"], false);
  const auto stats = cli_json("stats", {});
  EXPECT_EQ(stats["torrents"], "3");
  EXPECT_EQ(stats["blockedInfohashes"], "2");
}

TEST_F(CliSearchTest, TalksTlsWithTheServersCertificateAsRoot) {
  seed_corpus();
  const auto cert = make_self_signed();
  const auto cert_file = dir_.write("cert.pem", cert.cert_pem);
  const auto key_file = dir_.write("key.pem", cert.key_pem);
  serve({"--api-token", kToken, "--api-tls-cert", cert_file.string(), "--api-tls-key",
         key_file.string()});
  const auto r = cli("search", {"matrix", "--tls-ca", cert_file.string()});
  EXPECT_EQ(r.exit_code, 0) << r.out;
  EXPECT_TRUE(contains(r.out, "The.Matrix.1999")) << r.out;
  // On the server's machine its own certificate setting is the root.
  const auto same_machine = cli("stats", {"--api-tls-cert", cert_file.string()});
  EXPECT_EQ(same_machine.exit_code, 0) << same_machine.out;
  // Without roots the client speaks plaintext, which a TLS server refuses.
  const auto plain = cli("stats", {});
  EXPECT_EQ(plain.exit_code, 1) << plain.out;
  EXPECT_TRUE(contains(plain.out, "cannot reach magnetar at " + api_)) << plain.out;
}

}  // namespace
}  // namespace magnetar
