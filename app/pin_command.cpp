// `magnetar pin`, `magnetar unpin` and `magnetar pins`: keep-alive pins
// through the public API (magnetar.v1.Pins). Pinning and unpinning need the
// API token; listing follows api.public_reads.
#include <iostream>
#include <memory>

#include "app/api_client.hpp"
#include "app/api_text.hpp"
#include "app/command.hpp"
#include "app/table_printer.hpp"
#include "app/terminal_text.hpp"

namespace magnetar::app {
namespace {

constexpr const char* kTokenFooter =
    "Needs the API token: the api.token setting (MAGNETAR_API_TOKEN, --api-token), or the one\n"
    "`magnetar serve` generated into data_dir/api-token when run on this machine.";
// `magnetar pins` asks for the largest page the API gives (pins.proto).
constexpr int kListPageSize = 1000;

struct PinFlags {
  std::string magnet;
  std::vector<std::string> trackers;
  std::vector<std::string> web_seeds;
  std::string label;
  bool json = false;
  ApiFlags api;
};

struct UnpinFlags {
  std::string id;
  bool json = false;
  ApiFlags api;
};

struct PinsFlags {
  std::string state;
  bool json = false;
  ApiFlags api;
};

// "resolving" for PIN_STATE_RESOLVING.
std::string state_name(v1::PinState s) {
  switch (s) {
    case v1::PIN_STATE_RESOLVING:
      return "resolving";
    case v1::PIN_STATE_ALIVE:
      return "alive";
    case v1::PIN_STATE_FAILED:
      return "failed";
    default:
      return "unknown";
  }
}

void print_pin(const v1::Pin& p) {
  TablePrinter t({{""}, {""}});
  t.add_row({"infohash", p.info_hash()});
  if (!p.info_hash_v2().empty()) t.add_row({"infohash v2", p.info_hash_v2()});
  t.add_row({"name", p.name().empty() ? "-" : p.name()});
  if (!p.label().empty()) t.add_row({"label", p.label()});
  t.add_row({"state", state_name(p.state())});
  if (!p.failure_reason().empty()) t.add_row({"failure", p.failure_reason()});
  t.add_row({"pinned", format_time(p.created_at())});
  t.add_row({"resolved", format_time(p.resolved_at())});
  t.add_row({"last DHT announce", format_time(p.last_dht_announce())});
  t.add_row({"last tracker announce", format_time(p.last_tracker_announce())});
  t.add_row({"metadata served", format_count(p.metadata_served())});
  t.add_row({"incoming connections", format_count(p.incoming_connections())});
  std::string keepers;
  for (const auto& k : p.keepers()) keepers += (keepers.empty() ? "" : ", ") + k;
  t.add_row({"keepers", keepers.empty() ? "none live" : keepers});
  for (const auto& tr : p.trackers()) t.add_row({"tracker", tr});
  for (const auto& ws : p.web_seeds()) t.add_row({"web seed", ws});
  t.print(std::cout);
  // The magnet alone on its line, unescaped but safe: it is percent-encoded.
  std::cout << "\n" << escape_for_terminal(p.magnet()) << "\n";
}

}  // namespace

void add_pin_command(Commands& commands) {
  auto pin = std::make_shared<PinFlags>();
  auto* pin_cmd = commands.add(
      "pin", "Keep a magnet resolvable: keeper nodes announce it and serve its metadata to peers",
      [pin](const Config& config) {
        return run_api_call("pin", config, pin->api, [&](ApiClient& client) {
          v1::PinMagnetRequest request;
          request.set_magnet(pin->magnet);
          for (const auto& t : pin->trackers) request.add_trackers(t);
          for (const auto& w : pin->web_seeds) request.add_web_seeds(w);
          request.set_label(pin->label);
          v1::Pin response;
          auto status = client.pin_magnet(request, &response);
          if (!status.ok()) return status;
          if (pin->json) {
            std::cout << to_json(response);
          } else {
            print_pin(response);
          }
          return status;
        });
      });
  pin_cmd
      ->add_option("magnet", pin->magnet,
                   "a magnet link, or an infohash (40 or 64 hex digits, 32 base32 digits)")
      ->required();
  pin_cmd->add_option("--tracker", pin->trackers,
                      "an extra tracker (http://, https:// or udp://); repeatable");
  pin_cmd->add_option("--web-seed", pin->web_seeds, "an extra web seed (BEP 19); repeatable");
  pin_cmd->add_option("--label", pin->label, "free text kept with the pin (at most 200 bytes)");
  pin_cmd->add_flag("--json", pin->json, "print the pin as JSON (proto3 JSON mapping)");
  pin_cmd->footer(kTokenFooter);
  add_api_flags(*pin_cmd, pin->api);

  auto unpin = std::make_shared<UnpinFlags>();
  auto* unpin_cmd =
      commands.add("unpin", "Stop keeping a magnet alive", [unpin](const Config& config) {
        return run_api_call("unpin", config, unpin->api, [&](ApiClient& client) {
          v1::UnpinMagnetRequest request;
          request.set_id(unpin->id);
          v1::UnpinMagnetResponse response;
          auto status = client.unpin_magnet(request, &response);
          if (!status.ok()) return status;
          if (unpin->json) {
            std::cout << to_json(response);
          } else {
            std::cout << (response.existed() ? "unpinned " : "was not pinned: ")
                      << escape_for_terminal(unpin->id) << "\n";
          }
          return status;
        });
      });
  unpin_cmd->add_option("id", unpin->id, "the pin's infohash or magnet link")->required();
  unpin_cmd->add_flag("--json", unpin->json, "print the response as JSON");
  unpin_cmd->footer(kTokenFooter);
  add_api_flags(*unpin_cmd, unpin->api);

  auto list = std::make_shared<PinsFlags>();
  auto* list_cmd =
      commands.add("pins", "List pinned magnets, newest first", [list](const Config& config) {
        return run_api_call("pins", config, list->api, [&](ApiClient& client) {
          v1::ListPinsRequest request;
          request.set_page_size(kListPageSize);
          if (list->state == "resolving") request.set_state(v1::PIN_STATE_RESOLVING);
          if (list->state == "alive") request.set_state(v1::PIN_STATE_ALIVE);
          if (list->state == "failed") request.set_state(v1::PIN_STATE_FAILED);
          v1::ListPinsResponse all;
          for (;;) {
            v1::ListPinsResponse page;
            auto status = client.list_pins(request, &page);
            if (!status.ok()) return status;
            for (auto& p : *page.mutable_pins()) *all.add_pins() = std::move(p);
            all.set_total(page.total());
            if (page.next_page_token().empty()) break;
            request.set_page_token(page.next_page_token());
          }
          if (list->json) {
            std::cout << to_json(all);
            return grpc::Status::OK;
          }
          TablePrinter t({{"STATE"},
                          {"INFOHASH"},
                          {"NAME", Align::kLeft, true},
                          {"LABEL"},
                          {"SERVED", Align::kRight},
                          {"LAST DHT ANNOUNCE"},
                          {"KEEPERS"}});
          for (const auto& p : all.pins()) {
            std::string keepers;
            for (const auto& k : p.keepers()) keepers += (keepers.empty() ? "" : ",") + k;
            t.add_row({state_name(p.state()), p.info_hash(), p.name().empty() ? "-" : p.name(),
                       p.label(), format_count(p.metadata_served()),
                       format_time(p.last_dht_announce()), keepers.empty() ? "-" : keepers});
          }
          t.print(std::cout);
          std::cout << format_count(all.total()) << " pins\n";
          return grpc::Status::OK;
        });
      });
  list_cmd->add_option("--state", list->state, "only pins in this state")
      ->check(CLI::IsMember({"resolving", "alive", "failed"}));
  list_cmd->add_flag("--json", list->json, "print the list as JSON");
  add_api_flags(*list_cmd, list->api);
}

}  // namespace magnetar::app
