// `magnetar search`: the Search RPC from the command line, as an aligned
// table for people or JSON for scripts.
#include <iostream>
#include <memory>

#include "app/api_client.hpp"
#include "app/api_text.hpp"
#include "app/byte_size.hpp"
#include "app/command.hpp"
#include "app/table_printer.hpp"
#include "app/terminal_text.hpp"

namespace magnetar::app {
namespace {

// The API's page size bounds (magnetar.proto SearchRequest.page_size).
constexpr int kMaxPageSize = 100;

constexpr const char* kQueryHelp = R"(Query language:
  matrix reloaded      every word must match (case and accents ignored; names
                       are split on . _ - [ ] ( ), so "1080p" finds x.1080p.y)
  "the matrix"         a phrase: the words adjacent, in this order
  -cam                 excluded: no torrent whose name has it
  720p OR 1080p        either (OR binds tighter than the words around it)
  matr*                any word starting with "matr"
  (empty)              no words: the filters alone decide
Quote the whole query for your shell: magnetar search "matrix -cam".
A query that starts with '-' goes after --: magnetar search -- "-cam matrix".

Sizes: 700M, 1.5G, 2T (K M G T: powers of 1024; KB MB GB: of 1000).
Dates: YYYY-MM-DD (UTC).
Examples:
  magnetar search "breaking bad" --type episode --season 2 --resolution 1080p
  magnetar search ubuntu --type software --sort size --min-size 1G
  magnetar search "the matrix" --json | jq -r '.torrents[].magnet')";

struct SearchFlags {
  std::vector<std::string> words;
  std::vector<std::string> types;
  std::string sort;
  bool ascending = false;
  std::string min_size, max_size;
  std::string seen_after, seen_before;
  std::vector<int> years;
  std::vector<std::string> resolutions;
  std::optional<int> season, episode;
  std::vector<std::string> extensions;
  int limit = 0;
  std::string page_token;
  bool json = false;
  ApiFlags api;
};

std::string query_of(const SearchFlags& f) {
  std::string q;
  for (const auto& w : f.words) q += (q.empty() ? "" : " ") + w;
  return q;
}

// The flags are checked by CLI11 validators before this runs: every parse
// here succeeds.
v1::SearchRequest request_of(const SearchFlags& f) {
  v1::SearchRequest r;
  r.set_query(query_of(f));
  for (const auto& t : f.types) r.add_content_types(*content_type_from_name(t));
  if (!f.min_size.empty()) r.set_min_size_bytes(*parse_byte_size(f.min_size));
  if (!f.max_size.empty()) r.set_max_size_bytes(*parse_byte_size(f.max_size));
  if (!f.seen_after.empty()) *r.mutable_first_seen_after() = *parse_date(f.seen_after);
  if (!f.seen_before.empty()) *r.mutable_first_seen_before() = *parse_date(f.seen_before);
  for (int y : f.years) r.add_years(y);
  for (const auto& res : f.resolutions) r.add_resolutions(*parse_resolution(res));
  if (f.season) r.set_season(*f.season);
  if (f.episode) r.set_episode(*f.episode);
  for (const auto& x : f.extensions) r.add_file_extensions(x);
  if (!f.sort.empty()) r.set_order_by(f.sort + (f.ascending ? " asc" : " desc"));
  if (f.sort.empty() && f.ascending) {
    r.set_order_by(std::string(f.words.empty() ? "first_seen" : "relevance") + " asc");
  }
  r.set_page_size(f.limit);
  r.set_page_token(f.page_token);
  return r;
}

// The command that asks for the next page: the same flags, the new token.
std::string next_page_command(const SearchFlags& f, const std::string& token) {
  std::string out = "magnetar search";
  const auto arg = [&](std::string_view flag, std::string_view value) {
    out += " ";
    out += flag;
    if (!value.empty()) out += " " + shell_quote(value);
  };
  const auto join = [](const auto& items) {
    std::string s;
    for (const auto& i : items) {
      if (!s.empty()) s += ",";
      if constexpr (std::is_same_v<std::decay_t<decltype(i)>, int>) {
        s += std::to_string(i);
      } else {
        s += i;
      }
    }
    return s;
  };
  const auto query = query_of(f);
  if (!query.empty()) {
    // A query starting with '-' must follow "--"; put it last then.
    if (query.front() != '-') out += " " + shell_quote(query);
  }
  if (!f.types.empty()) arg("--type", join(f.types));
  if (!f.sort.empty()) arg("--sort", f.sort);
  if (f.ascending) arg("--asc", "");
  if (!f.min_size.empty()) arg("--min-size", f.min_size);
  if (!f.max_size.empty()) arg("--max-size", f.max_size);
  if (!f.seen_after.empty()) arg("--seen-after", f.seen_after);
  if (!f.seen_before.empty()) arg("--seen-before", f.seen_before);
  if (!f.years.empty()) arg("--year", join(f.years));
  if (!f.resolutions.empty()) arg("--resolution", join(f.resolutions));
  if (f.season) arg("--season", std::to_string(*f.season));
  if (f.episode) arg("--episode", std::to_string(*f.episode));
  if (!f.extensions.empty()) arg("--ext", join(f.extensions));
  if (f.limit != 0) arg("--limit", std::to_string(f.limit));
  if (!f.api.api.empty()) arg("--api", f.api.api);
  if (!f.api.tls_ca.empty()) arg("--tls-ca", f.api.tls_ca);
  if (f.api.tls) arg("--tls", "");
  arg("--page-token", token);
  if (!query.empty() && query.front() == '-') out += " -- " + shell_quote(query);
  return out;
}

void print_human(const SearchFlags& f, const v1::SearchResponse& r) {
  if (r.torrents_size() == 0) {
    std::cout << (f.page_token.empty() ? "no matches\n" : "no more matches\n");
  } else {
    TablePrinter table({{"SIZE", Align::kRight},
                        {"TYPE"},
                        {"FIRST SEEN"},
                        {"NAME", Align::kLeft, true},
                        {"INFOHASH"}});
    for (const auto& t : r.torrents()) {
      table.add_row({format_byte_size(t.size_bytes()), content_type_name(t.content_type()),
                     format_date(t.first_seen()), t.name(), t.info_hash()});
    }
    table.print(std::cout, terminal_columns());
    std::cout << "\n"
              << r.torrents_size() << " of " << format_count(r.total())
              << (r.total().estimated() ? " (estimated)" : "") << "\n";
  }
  if (r.content_types_size() > 0) {
    std::string line = "by type:";
    bool first = true;
    for (const auto& c : r.content_types()) {
      line += (first ? " " : ", ") + content_type_name(c.content_type()) + " " +
              format_count(c.count());
      first = false;
    }
    std::cout << line << "\n";
  }
  if (!r.next_page_token().empty()) {
    // The hint echoes what was typed and what the server sent: escaped.
    std::cout << "next page: " << escape_for_terminal(next_page_command(f, r.next_page_token()))
              << "\n";
  }
}

CLI::Validator size_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return parse_byte_size(s) ? "" : "not a size: " + s + " (examples: 700M, 1.5G, 2TB)";
      },
      "SIZE");
}

CLI::Validator date_validator() {
  return CLI::Validator(
      [](std::string& s) -> std::string {
        return parse_date(s) ? "" : "not a date: " + s + " (YYYY-MM-DD)";
      },
      "DATE");
}

}  // namespace

void add_search_command(Commands& commands) {
  auto flags = std::make_shared<SearchFlags>();
  auto* cmd = commands.add(
      "search",
      "Search the index of a running `magnetar serve` (words, \"phrases\", -exclude, OR, prefix*)",
      [flags](const Config& config) {
        const auto request = request_of(*flags);
        return run_api_call("search", config, flags->api, [&](ApiClient& client) {
          v1::SearchResponse response;
          auto status = client.search(request, &response);
          if (!status.ok()) return status;
          if (flags->json) {
            std::cout << to_json(response);
          } else {
            print_human(*flags, response);
          }
          return status;
        });
      });
  cmd->footer(kQueryHelp);
  cmd->add_option("query", flags->words, "the query (see below); words may be given unquoted");
  std::string type_names;
  for (const auto& n : content_type_names()) type_names += (type_names.empty() ? "" : ", ") + n;
  cmd->add_option("--type", flags->types, "content types, any of: " + type_names)
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            return content_type_from_name(s) ? "" : "unknown content type: " + s;
          },
          "TYPE"));
  cmd->add_option("--sort", flags->sort,
                  "relevance (the default with a query), first_seen (without) or size; "
                  "largest or newest first")
      ->check(CLI::IsMember({"relevance", "first_seen", "size"}));
  cmd->add_flag("--asc", flags->ascending, "smallest, oldest or least relevant first");
  cmd->add_option("--min-size", flags->min_size, "total size at least this")
      ->check(size_validator());
  cmd->add_option("--max-size", flags->max_size, "total size at most this")
      ->check(size_validator());
  cmd->add_option("--seen-after", flags->seen_after, "first seen on or after this date (UTC)")
      ->check(date_validator());
  cmd->add_option("--seen-before", flags->seen_before, "first seen before this date (UTC)")
      ->check(date_validator());
  cmd->add_option("--year", flags->years, "release years, comma-separated")
      ->delimiter(',')
      ->check(CLI::Range(1800, 2200));
  cmd->add_option("--resolution", flags->resolutions,
                  "vertical resolutions, comma-separated: 480, 720, 1080p, 2160 or 4k")
      ->delimiter(',')
      ->check(CLI::Validator(
          [](std::string& s) -> std::string {
            return parse_resolution(s) ? "" : "not a resolution: " + s + " (e.g. 1080p)";
          },
          "RES"));
  cmd->add_option("--season", flags->season, "season number (episodes)")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--episode", flags->episode, "episode number")->check(CLI::NonNegativeNumber);
  cmd->add_option("--ext", flags->extensions, "file extensions, comma-separated: mkv,mp4")
      ->delimiter(',');
  cmd->add_option("--limit", flags->limit, "results per page, 1 to 100 (default 20)")
      ->check(CLI::Range(1, kMaxPageSize));
  cmd->add_option("--page-token", flags->page_token,
                  "the next page of the same search (printed under each page)");
  cmd->add_flag("--json", flags->json, "print the response as JSON (proto3 JSON mapping)");
  add_api_flags(*cmd, flags->api);
}

}  // namespace magnetar::app
