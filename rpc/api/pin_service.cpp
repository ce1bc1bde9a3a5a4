#include "rpc/api/pin_service.hpp"

#include <google/protobuf/util/time_util.h>

#include <charconv>
#include <pqxx/pqxx>

#include "common/codec.hpp"
#include "common/log.hpp"
#include "common/magnet.hpp"
#include "indexer/store/text_sanitizer.hpp"
#include "rpc/api/api_limits.hpp"
#include "rpc/api/database_call.hpp"
#include "rpc/api/torrent_id.hpp"
#include "rpc/common/bearer_token.hpp"
#include "rpc/hub/pg_pin_store.hpp"
#include "rpc/hub/pin_assignment.hpp"

namespace magnetar::rpc {
namespace {

namespace db = pin_store;
using google::protobuf::util::TimeUtil;

grpc::Status invalid(const std::string& what) { return {grpc::StatusCode::INVALID_ARGUMENT, what}; }

// A URL we store and hand out: bounded, printable ASCII without spaces (so
// it is one line and one magnet parameter, whatever its scheme).
bool printable_url(std::string_view url) {
  if (url.empty() || url.size() > db::kMaxUrlBytes) return false;
  for (unsigned char c : url)
    if (c <= 0x20 || c >= 0x7f) return false;
  return true;
}

bool has_scheme(std::string_view url, std::initializer_list<std::string_view> schemes) {
  for (auto s : schemes)
    if (url.size() > s.size() && url.substr(0, s.size()) == s) return true;
  return false;
}

google::protobuf::Timestamp to_timestamp(std::int64_t us) {
  return TimeUtil::MicrosecondsToTimestamp(us);
}

v1::PinState to_proto(db::PinState s) {
  switch (s) {
    case db::PinState::kResolving:
      return v1::PIN_STATE_RESOLVING;
    case db::PinState::kAlive:
      return v1::PIN_STATE_ALIVE;
    case db::PinState::kFailed:
      return v1::PIN_STATE_FAILED;
  }
  return v1::PIN_STATE_UNSPECIFIED;
}

// xt (btih, and btmh when the v2 infohash is known), dn, every tr and ws.
std::string amended_magnet(const db::PinRow& row) {
  magnet::Magnet m;
  // A v2-only torrent's id is its truncated v2: no btih then.
  const bool v2_only = row.v2 && truncate(*row.v2) == row.id;
  if (!v2_only) m.hashes.v1 = row.id;
  m.hashes.v2 = row.v2;
  m.display_name = row.name;
  m.trackers = row.trackers;
  m.web_seeds = row.web_seeds;
  return magnet::format_magnet(m);
}

void fill_pin(const db::PinRow& row, const PinAssignment& keepers, v1::Pin& out) {
  out.set_info_hash(row.id.hex());
  if (row.v2) out.set_info_hash_v2(row.v2->hex());
  out.set_name(row.name);
  out.set_label(row.label);
  out.set_state(to_proto(row.state));
  out.set_failure_reason(row.failure_reason);
  if (row.created_us) *out.mutable_created_at() = to_timestamp(row.created_us);
  if (row.resolved_us) *out.mutable_resolved_at() = to_timestamp(row.resolved_us);
  if (row.last_dht_announce_us)
    *out.mutable_last_dht_announce() = to_timestamp(row.last_dht_announce_us);
  if (row.last_tracker_announce_us)
    *out.mutable_last_tracker_announce() = to_timestamp(row.last_tracker_announce_us);
  out.set_metadata_served(row.metadata_served);
  out.set_incoming_connections(row.incoming_connections);
  for (const auto& t : row.trackers) out.add_trackers(t);
  for (const auto& w : row.web_seeds) out.add_web_seeds(w);
  out.set_magnet(amended_magnet(row));
  // FAILED pins are kept by nobody.
  if (row.state != db::PinState::kFailed)
    for (auto& k : keepers.keepers_of(row.id)) out.add_keepers(std::move(k));
}

// "<state>.<created_us>.<40 hex>": the position after the last pin of a page,
// valid only with the same state filter.
std::string page_token(int state, const db::PinCursor& c) {
  return std::to_string(state) + "." + std::to_string(c.created_us) + "." + c.id.hex();
}

std::optional<db::PinCursor> parse_page_token(std::string_view token, int state) {
  const auto a = token.find('.');
  const auto b = token.find('.', a == std::string_view::npos ? a : a + 1);
  if (a == std::string_view::npos || b == std::string_view::npos) return std::nullopt;
  int s = -1;
  std::int64_t us = 0;
  const auto sp = token.substr(0, a);
  const auto up = token.substr(a + 1, b - a - 1);
  if (std::from_chars(sp.data(), sp.data() + sp.size(), s).ptr != sp.data() + sp.size() ||
      s != state)
    return std::nullopt;
  if (std::from_chars(up.data(), up.data() + up.size(), us).ptr != up.data() + up.size())
    return std::nullopt;
  auto id = InfoHashV1::from_hex(token.substr(b + 1));
  if (!id) return std::nullopt;
  return db::PinCursor{us, *id};
}

}  // namespace

PinService::PinService(PinServiceOptions options)
    : options_(std::move(options)), pool_(options_.dsn, options_.db_connections) {}

PinService::~PinService() = default;

grpc::Status PinService::check_read(const grpc::ServerContext& context) const {
  if (options_.public_reads) return grpc::Status::OK;
  return check_bearer(context, options_.token);
}

grpc::Status PinService::PinMagnet(grpc::ServerContext* context,
                                   const v1::PinMagnetRequest* request, v1::Pin* response) {
  if (auto s = check_bearer(*context, options_.token); !s.ok()) return s;
  db::NewPin pin;
  const auto& text = request->magnet();
  if (text.size() >= 7 && (text.substr(0, 7) == "magnet:" || text.substr(0, 7) == "MAGNET:")) {
    auto m = magnet::parse_magnet(text);
    if (!m) return invalid("magnet: " + m.error().message());
    pin.id = m->hashes.id();
    pin.v2 = m->hashes.v2;
    pin.name = indexer::store::sanitize_text(m->display_name, db::kMaxNameBytes).text;
    for (const auto& t : m->trackers)
      if (!printable_url(t)) return invalid("magnet: tracker is not a printable URL: " + t);
    for (const auto& w : m->web_seeds)
      if (!printable_url(w)) return invalid("magnet: web seed is not a printable URL: " + w);
    if (m->trackers.size() > db::kMaxUrlsPerPin || m->web_seeds.size() > db::kMaxUrlsPerPin ||
        m->peers.size() > db::kMaxUrlsPerPin)
      return invalid("magnet: at most " + std::to_string(db::kMaxUrlsPerPin) +
                     " trackers, web seeds and peers");
    pin.trackers = m->trackers;
    pin.web_seeds = m->web_seeds;
    pin.peers = m->peers;
  } else {
    std::string why;
    const auto id = parse_torrent_id(text, &why);
    if (!id) return invalid("magnet: " + why);
    pin.id = *id;
    if (text.size() == 64) pin.v2 = InfoHashV2::from_hex(text);
  }
  if (request->trackers_size() > static_cast<int>(kMaxExtraUrls) ||
      request->web_seeds_size() > static_cast<int>(kMaxExtraUrls))
    return invalid("at most " + std::to_string(kMaxExtraUrls) + " trackers and web seeds");
  for (const auto& t : request->trackers()) {
    if (!printable_url(t) || !has_scheme(t, {"http://", "https://", "udp://"}))
      return invalid("trackers: expected an http://, https:// or udp:// URL: " + t.substr(0, 100));
    if (std::find(pin.trackers.begin(), pin.trackers.end(), t) == pin.trackers.end())
      pin.trackers.push_back(t);
  }
  for (const auto& w : request->web_seeds()) {
    if (!printable_url(w) || !has_scheme(w, {"http://", "https://"}))
      return invalid("web_seeds: expected an http:// or https:// URL: " + w.substr(0, 100));
    if (std::find(pin.web_seeds.begin(), pin.web_seeds.end(), w) == pin.web_seeds.end())
      pin.web_seeds.push_back(w);
  }
  if (request->label().size() > db::kMaxLabelBytes)
    return invalid("label: at most " + std::to_string(db::kMaxLabelBytes) + " bytes");
  pin.label = indexer::store::sanitize_text(request->label(), db::kMaxLabelBytes).text;

  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto) {
    if (db::upsert_pin(c, pin) == db::UpsertOutcome::kBlocked)
      return grpc::Status(grpc::StatusCode::FAILED_PRECONDITION,
                          "this infohash is on the block list: it cannot be pinned");
    if (options_.on_pinned) options_.on_pinned(pin.id);
    const auto row = db::read_pin(c, pin.id);
    if (!row) return grpc::Status(grpc::StatusCode::ABORTED, "unpinned meanwhile");
    const PinAssignment keepers(
        db::live_keepers(c, options_.heartbeat_interval * kKeeperMissedHeartbeats),
        options_.replication);
    fill_pin(*row, keepers, *response);
    return grpc::Status::OK;
  });
}

grpc::Status PinService::UnpinMagnet(grpc::ServerContext* context,
                                     const v1::UnpinMagnetRequest* request,
                                     v1::UnpinMagnetResponse* response) {
  if (auto s = check_bearer(*context, options_.token); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(request->id(), &why);
  if (!id) return invalid("id: " + why);
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto) {
    response->set_existed(db::delete_pin(c, *id, options_.drop_info_on_unpin));
    if (options_.on_unpinned) options_.on_unpinned(*id);
    return grpc::Status::OK;
  });
}

grpc::Status PinService::GetPin(grpc::ServerContext* context, const v1::GetPinRequest* request,
                                v1::Pin* response) {
  if (auto s = check_read(*context); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(request->id(), &why);
  if (!id) return invalid("id: " + why);
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto) {
    const auto row = db::read_pin(c, *id);
    if (!row) return grpc::Status(grpc::StatusCode::NOT_FOUND, "not pinned: " + request->id());
    const PinAssignment keepers(
        db::live_keepers(c, options_.heartbeat_interval * kKeeperMissedHeartbeats),
        options_.replication);
    fill_pin(*row, keepers, *response);
    return grpc::Status::OK;
  });
}

grpc::Status PinService::ListPins(grpc::ServerContext* context, const v1::ListPinsRequest* request,
                                  v1::ListPinsResponse* response) {
  if (auto s = check_read(*context); !s.ok()) return s;
  std::optional<db::PinState> state;
  switch (request->state()) {
    case v1::PIN_STATE_UNSPECIFIED:
      break;
    case v1::PIN_STATE_RESOLVING:
      state = db::PinState::kResolving;
      break;
    case v1::PIN_STATE_ALIVE:
      state = db::PinState::kAlive;
      break;
    case v1::PIN_STATE_FAILED:
      state = db::PinState::kFailed;
      break;
    default:
      return invalid("state: unknown value " + std::to_string(request->state()));
  }
  if (request->page_size() < 0 || request->page_size() > static_cast<int>(kMaxPinPageSize))
    return invalid("page_size: 1 to " + std::to_string(kMaxPinPageSize) +
                   " (0: " + std::to_string(kDefaultPinPageSize) + ")");
  const std::size_t size = request->page_size() == 0
                               ? kDefaultPinPageSize
                               : static_cast<std::size_t>(request->page_size());
  const int state_value = static_cast<int>(request->state());
  std::optional<db::PinCursor> after;
  if (!request->page_token().empty()) {
    after = parse_page_token(request->page_token(), state_value);
    if (!after) return invalid("page_token: not a token of this listing");
  }
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto) {
    const auto page = db::list_pins(c, state, size, after);
    const PinAssignment keepers(
        db::live_keepers(c, options_.heartbeat_interval * kKeeperMissedHeartbeats),
        options_.replication);
    for (const auto& row : page.pins) fill_pin(row, keepers, *response->add_pins());
    if (page.next) response->set_next_page_token(page_token(state_value, *page.next));
    response->set_total(page.total);
    return grpc::Status::OK;
  });
}

}  // namespace magnetar::rpc
