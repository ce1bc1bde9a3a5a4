// `magnetar delete` and `magnetar block`: remove a torrent from the index and
// keep its infohash out for good (DeleteTorrent, BlockInfohash). Both need
// the API token.
#include <iostream>
#include <memory>

#include "app/api_client.hpp"
#include "app/command.hpp"
#include "app/terminal_text.hpp"

namespace magnetar::app {
namespace {

constexpr const char* kIdHelp =
    "the torrent: its infohash (40 or 64 hex digits, or 32 base32 digits) or a magnet link";
constexpr const char* kTokenFooter =
    "Needs the API token: the api.token setting (MAGNETAR_API_TOKEN, --api-token), or the one\n"
    "`magnetar serve` generated into data_dir/api-token when run on this machine.";

struct BlockFlags {
  std::string id;
  std::string reason;
  bool json = false;
  ApiFlags api;
};

void add_id_flags(CLI::App& cmd, BlockFlags& flags) {
  cmd.add_option("id", flags.id, kIdHelp)->required();
  cmd.add_option("--reason", flags.reason, "why, kept with the block (at most 512 bytes)");
  cmd.add_flag("--json", flags.json, "print the response as JSON");
  cmd.footer(kTokenFooter);
  add_api_flags(cmd, flags.api);
}

}  // namespace

void add_block_command(Commands& commands) {
  auto del = std::make_shared<BlockFlags>();
  auto* del_cmd = commands.add(
      "delete", "Remove a torrent from the index; its infohash is blocked: never indexed again",
      [del](const Config& config) {
        return run_api_call("delete", config, del->api, [&](ApiClient& client) {
          v1::DeleteTorrentRequest request;
          request.set_id(del->id);
          request.set_reason(del->reason);
          v1::DeleteTorrentResponse response;
          auto status = client.delete_torrent(request, &response);
          if (!status.ok()) return status;
          if (del->json) {
            std::cout << to_json(response);
          } else {
            std::cout << (response.existed() ? "deleted " : "was not indexed, blocked anyway: ")
                      << escape_for_terminal(del->id) << "\n";
          }
          return status;
        });
      });
  add_id_flags(*del_cmd, *del);

  auto block = std::make_shared<BlockFlags>();
  auto* block_cmd = commands.add(
      "block",
      "Block an infohash, indexed or not: whatever is stored is removed, nothing comes back",
      [block](const Config& config) {
        return run_api_call("block", config, block->api, [&](ApiClient& client) {
          v1::BlockInfohashRequest request;
          request.set_id(block->id);
          request.set_reason(block->reason);
          v1::BlockInfohashResponse response;
          auto status = client.block_infohash(request, &response);
          if (!status.ok()) return status;
          if (block->json) {
            std::cout << to_json(response);
          } else {
            std::cout << "blocked " << escape_for_terminal(block->id)
                      << (response.existed() ? " (it was indexed: removed)"
                                             : " (it was not indexed)")
                      << "\n";
          }
          return status;
        });
      });
  add_id_flags(*block_cmd, *block);
}

}  // namespace magnetar::app
