// `magnetar show`: one torrent (GetTorrent) with its files and magnet link;
// `magnetar torrent-file`: its .torrent (GetTorrentFile) written to a file.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <sstream>

#include "app/api_client.hpp"
#include "app/api_text.hpp"
#include "app/byte_size.hpp"
#include "app/command.hpp"
#include "app/table_printer.hpp"
#include "app/terminal_text.hpp"

namespace magnetar::app {
namespace {

constexpr const char* kIdHelp =
    "the torrent: its infohash (40 or 64 hex digits, or 32 base32 digits) or a magnet link";

struct ShowFlags {
  std::string id;
  bool json = false;
  bool tree = false;
  ApiFlags api;
};

std::string classification(const v1::TorrentSummary& s) {
  std::string out = content_type_name(s.content_type());
  if (s.has_year()) out += ", " + std::to_string(s.year());
  if (s.has_resolution()) out += ", " + std::to_string(s.resolution()) + "p";
  if (s.has_season() || s.has_episode()) {
    out += ", ";
    if (s.has_season()) out += "season " + std::to_string(s.season());
    if (s.has_season() && s.has_episode()) out += " ";
    if (s.has_episode()) out += "episode " + std::to_string(s.episode());
  }
  return out;
}

// Files listed by path, or drawn as a tree of folders (sorted by path).
void print_files(const v1::Torrent& t, bool tree) {
  std::cout << "\nfiles (" << format_count(t.summary().file_count());
  if (t.files_truncated()) std::cout << ", the first " << format_count(t.files_size()) << " stored";
  std::cout << "):\n";
  TablePrinter table({{"", Align::kRight}, {"", Align::kLeft, true}});
  if (!tree) {
    for (const auto& f : t.files()) table.add_row({format_byte_size(f.size_bytes()), f.path()});
  } else {
    std::vector<const v1::File*> files;
    for (const auto& f : t.files()) files.push_back(&f);
    std::sort(files.begin(), files.end(),
              [](const v1::File* a, const v1::File* b) { return a->path() < b->path(); });
    std::vector<std::string> open;  // the folders of the previous row
    for (const auto* f : files) {
      std::vector<std::string> parts;
      std::string_view rest = f->path();
      for (auto slash = rest.find('/'); slash != std::string_view::npos; slash = rest.find('/')) {
        parts.emplace_back(rest.substr(0, slash));
        rest.remove_prefix(slash + 1);
      }
      std::size_t same = 0;
      while (same < open.size() && same < parts.size() && open[same] == parts[same]) ++same;
      open.resize(same);
      for (std::size_t d = same; d < parts.size(); ++d) {
        table.add_row({"", std::string(2 * d, ' ') + parts[d] + "/"});
        open.push_back(parts[d]);
      }
      table.add_row({format_byte_size(f->size_bytes()),
                     std::string(2 * parts.size(), ' ') + std::string(rest)});
    }
  }
  const std::string indent = "  ";
  const auto columns = terminal_columns();
  std::istringstream lines(table.render(columns > indent.size() ? columns - indent.size() : 0));
  for (std::string line; std::getline(lines, line);) std::cout << indent << line << "\n";
}

void print_human(const v1::Torrent& t, bool tree) {
  const auto& s = t.summary();
  TablePrinter table({{""}, {"", Align::kLeft, true}});
  table.add_row({"name", s.name()});
  if (!t.title().empty()) table.add_row({"title", t.title()});
  table.add_row({"infohash", s.info_hash()});
  if (!s.info_hash_v2().empty()) table.add_row({"infohash v2", s.info_hash_v2()});
  table.add_row({"type", classification(s)});
  std::string size = format_byte_size(s.size_bytes());
  if (s.size_bytes() >= 1024) size += " (" + format_count(s.size_bytes()) + " bytes)";
  size += " in " + format_count(s.file_count()) + (s.file_count() == 1 ? " file" : " files");
  table.add_row({"size", size});
  table.add_row({"first seen", format_time(s.first_seen())});
  table.add_row({"last seen", format_time(s.last_seen())});
  table.add_row({"pieces", format_byte_size(t.piece_length()) + " each" +
                               (t.private_() ? ", private (BEP 27: no DHT, trackers only)" : "")});
  for (int i = 0; i < t.trackers_size(); ++i)
    table.add_row({i == 0 ? "trackers" : "", t.trackers(i)});
  for (int i = 0; i < t.web_seeds_size(); ++i) {
    table.add_row({i == 0 ? "web seeds" : "", t.web_seeds(i)});
  }
  table.add_row({".torrent", t.info_dict_stored()
                                 ? "stored: magnetar torrent-file " + s.info_hash()
                                 : "not stored (store.raw_info keeps pinned torrents' only)"});
  table.add_row({"magnet", s.magnet()});
  // The magnet is a single word to copy: never cut.
  table.print(std::cout);
  print_files(t, tree);
}

struct TorrentFileFlags {
  std::string id;
  std::string output;
  bool force = false;
  ApiFlags api;
};

// The server names the file after the torrent; a remote server is not
// trusted to keep it inside the current folder.
std::string safe_file_name(const std::string& name) {
  std::string out;
  for (char c : name) {
    out.push_back(c == '/' || c == '\\' || static_cast<unsigned char>(c) < 0x20 ? '_' : c);
  }
  while (!out.empty() && out.front() == '.') out.erase(0, 1);
  return out.empty() ? "download.torrent" : out;
}

grpc::Status write_torrent_file(ApiClient& client, const TorrentFileFlags& f) {
  v1::GetTorrentFileRequest request;
  request.set_id(f.id);
  v1::TorrentFileContent response;
  auto status = client.get_torrent_file(request, &response);
  if (!status.ok()) return status;
  if (f.output == "-") {
    std::cout.write(response.content().data(),
                    static_cast<std::streamsize>(response.content().size()));
    std::cout.flush();
    return status;
  }
  const std::string path = f.output.empty() ? safe_file_name(response.file_name()) : f.output;
  if (!f.force && std::filesystem::exists(path)) {
    throw std::runtime_error(path + " exists (--force to replace it)");
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(response.content().data(), static_cast<std::streamsize>(response.content().size()));
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path);
  std::cout << "wrote " << escape_for_terminal(path) << " ("
            << format_count(static_cast<std::int64_t>(response.content().size())) << " bytes)\n";
  return status;
}

}  // namespace

void add_show_command(Commands& commands) {
  auto flags = std::make_shared<ShowFlags>();
  auto* cmd =
      commands.add("show", "Show one indexed torrent: classification, files and magnet link",
                   [flags](const Config& config) {
                     return run_api_call("show", config, flags->api, [&](ApiClient& client) {
                       v1::GetTorrentRequest request;
                       request.set_id(flags->id);
                       v1::Torrent response;
                       auto status = client.get_torrent(request, &response);
                       if (!status.ok()) return status;
                       if (flags->json) {
                         std::cout << to_json(response);
                       } else {
                         print_human(response, flags->tree);
                       }
                       return status;
                     });
                   });
  cmd->add_option("id", flags->id, kIdHelp)->required();
  cmd->add_flag("--tree", flags->tree, "draw the files as a tree of folders");
  cmd->add_flag("--json", flags->json, "print the torrent as JSON (proto3 JSON mapping)");
  add_api_flags(*cmd, flags->api);

  auto file_flags = std::make_shared<TorrentFileFlags>();
  auto* file_cmd = commands.add(
      "torrent-file",
      "Write the .torrent of an indexed torrent (when its info dict is stored: store.raw_info)",
      [file_flags](const Config& config) {
        return run_api_call("torrent-file", config, file_flags->api, [&](ApiClient& client) {
          return write_torrent_file(client, *file_flags);
        });
      });
  file_cmd->add_option("id", file_flags->id, kIdHelp)->required();
  file_cmd->add_option("-o,--output", file_flags->output,
                       "where to write it; - for standard output (default: NAME.torrent here)");
  file_cmd->add_flag("--force", file_flags->force, "replace an existing file");
  add_api_flags(*file_cmd, file_flags->api);
}

}  // namespace magnetar::app
