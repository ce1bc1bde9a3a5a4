#include "rpc/hub/pg_pin_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>
#include <unordered_map>

#include "common/codec.hpp"
#include "indexer/store/line_list.hpp"
#include "indexer/store/text_sanitizer.hpp"

namespace magnetar::rpc::pin_store {
namespace {

using indexer::store::join_lines;
using indexer::store::split_lines;

std::int64_t micros_or_zero(const pqxx::field& f) { return f.is_null() ? 0 : f.as<std::int64_t>(); }

std::string hex_list(std::span<const InfoHashV1> ids) {
  std::string out;
  out.reserve(ids.size() * 41);
  for (const auto& id : ids) {
    if (!out.empty()) out.push_back(',');
    out.append(to_hex(id.view()));
  }
  return out;
}

template <class D>
std::optional<D> digest_from_hex_field(const pqxx::field& f) {
  if (f.is_null()) return std::nullopt;
  return D::from_hex(f.as<std::string>());
}

// The columns of a PinRow, in read_row's order.
constexpr char kPinColumns[] = R"sql(
  encode(p.id, 'hex'), encode(coalesce(p.v2, t.v2), 'hex'), coalesce(t.name, p.dn, ''),
  coalesce(p.dn, ''), p.label, p.state, coalesce(p.failure_reason, ''),
  (extract(epoch FROM p.created_at) * 1000000)::bigint,
  (extract(epoch FROM p.resolved_at) * 1000000)::bigint,
  (extract(epoch FROM k.dht) * 1000000)::bigint, (extract(epoch FROM k.tracker) * 1000000)::bigint,
  k.served, k.incoming,
  array_to_string(p.trackers, E'\n'), array_to_string(p.web_seeds, E'\n'),
  array_to_string(p.peers, E'\n')
FROM pins p
LEFT JOIN torrents t ON t.id = p.id
LEFT JOIN LATERAL (
  SELECT max(last_dht_announce) AS dht, max(last_tracker_announce) AS tracker,
         coalesce(sum(metadata_served), 0)::bigint AS served,
         coalesce(sum(incoming_connections), 0)::bigint AS incoming
  FROM pin_keepers pk WHERE pk.pin_id = p.id) k ON true
)sql";

PinRow read_row(const pqxx::row& r) {
  PinRow p;
  p.id = *InfoHashV1::from_hex(r[0].as<std::string>());
  p.v2 = digest_from_hex_field<InfoHashV2>(r[1]);
  p.name = r[2].as<std::string>();
  p.dn = r[3].as<std::string>();
  p.label = r[4].as<std::string>();
  p.state = static_cast<PinState>(r[5].as<int>());
  p.failure_reason = r[6].as<std::string>();
  p.created_us = micros_or_zero(r[7]);
  p.resolved_us = micros_or_zero(r[8]);
  p.last_dht_announce_us = micros_or_zero(r[9]);
  p.last_tracker_announce_us = micros_or_zero(r[10]);
  p.metadata_served = r[11].as<std::int64_t>();
  p.incoming_connections = r[12].as<std::int64_t>();
  p.trackers = split_lines(r[13]);
  p.web_seeds = split_lines(r[14]);
  p.peers = split_lines(r[15]);
  return p;
}

void append_new(std::vector<std::string>& to, const std::vector<std::string>& items) {
  for (const auto& s : items) {
    if (to.size() >= kMaxUrlsPerPin) return;
    if (std::find(to.begin(), to.end(), s) == to.end()) to.push_back(s);
  }
}

std::string timestamp_sql(pqxx::transaction_base& tx, std::int64_t us) {
  if (us <= 0) return "NULL::timestamptz";
  return "(timestamptz 'epoch' + " + tx.quote(us) + " * interval '1 microsecond')";
}

}  // namespace

UpsertOutcome upsert_pin(pqxx::connection_base& c, const NewPin& pin) {
  pqxx::work tx(c);
  const auto hex = to_hex(pin.id.view());
  if (tx.exec_params1("SELECT EXISTS (SELECT 1 FROM blocked_infohashes WHERE id = decode($1, "
                      "'hex'))",
                      hex)[0]
          .as<bool>()) {
    return UpsertOutcome::kBlocked;
  }
  const bool has_info = tx.exec_params1(
                              "SELECT EXISTS (SELECT 1 FROM torrent_info_dicts WHERE torrent_id "
                              "= decode($1, 'hex'))",
                              hex)[0]
                            .as<bool>();
  const auto state = static_cast<int>(has_info ? PinState::kAlive : PinState::kResolving);
  const auto v2 = pin.v2 ? to_hex(pin.v2->view()) : std::string();
  const auto inserted = tx.exec_params(
      "INSERT INTO pins (id, v2, dn, label, trackers, web_seeds, peers, state, resolved_at) "
      "VALUES (decode($1, 'hex'), decode(nullif($2, ''), 'hex'), nullif($3, ''), $4, "
      "string_to_array($5, E'\\n'), string_to_array($6, E'\\n'), string_to_array($7, E'\\n'), "
      "$8::smallint, CASE WHEN $8::smallint = 2 THEN now() END) ON CONFLICT (id) DO NOTHING "
      "RETURNING 1",
      hex, v2, pin.name, pin.label, join_lines(pin.trackers), join_lines(pin.web_seeds),
      join_lines(pin.peers), state);
  if (!inserted.empty()) {
    tx.commit();
    return UpsertOutcome::kCreated;
  }
  // Pinned already: merge under the row's lock.
  const auto old = tx.exec_params1(
      "SELECT array_to_string(trackers, E'\\n'), array_to_string(web_seeds, E'\\n'), "
      "array_to_string(peers, E'\\n') FROM pins WHERE id = decode($1, 'hex') FOR UPDATE",
      hex);
  auto trackers = split_lines(old[0]);
  auto web_seeds = split_lines(old[1]);
  auto peers = split_lines(old[2]);
  append_new(trackers, pin.trackers);
  append_new(web_seeds, pin.web_seeds);
  append_new(peers, pin.peers);
  tx.exec_params(
      "UPDATE pins SET label = CASE WHEN $2 = '' THEN label ELSE $2 END, "
      "dn = coalesce(dn, nullif($3, '')), v2 = coalesce(v2, decode(nullif($4, ''), 'hex')), "
      "trackers = string_to_array($5, E'\\n'), web_seeds = string_to_array($6, E'\\n'), "
      "peers = string_to_array($7, E'\\n'), revision = revision + 1, "
      "state_changed_at = CASE WHEN state <> $8::smallint THEN now() ELSE state_changed_at END, "
      "failure_reason = CASE WHEN $8::smallint = 3 THEN failure_reason END, "
      "resolved_at = CASE WHEN $8::smallint = 2 THEN coalesce(resolved_at, now()) END, "
      "state = $8::smallint "
      "WHERE id = decode($1, 'hex')",
      hex, pin.label, pin.name, v2, join_lines(trackers), join_lines(web_seeds), join_lines(peers),
      state);
  tx.commit();
  return UpsertOutcome::kUpdated;
}

std::optional<PinRow> read_pin(pqxx::connection_base& c, const InfoHashV1& id) {
  pqxx::read_transaction tx(c);
  const auto rows = tx.exec_params(
      std::string("SELECT ") + kPinColumns + " WHERE p.id = decode($1, 'hex')", to_hex(id.view()));
  if (rows.empty()) return std::nullopt;
  return read_row(rows[0]);
}

bool delete_pin(pqxx::connection_base& c, const InfoHashV1& id, bool drop_info_dict) {
  pqxx::work tx(c);
  const auto hex = to_hex(id.view());
  const auto deleted =
      tx.exec_params("DELETE FROM pins WHERE id = decode($1, 'hex') RETURNING 1", hex);
  tx.exec_params("DELETE FROM pin_keepers WHERE pin_id = decode($1, 'hex')", hex);
  if (drop_info_dict && !deleted.empty())
    tx.exec_params("DELETE FROM torrent_info_dicts WHERE torrent_id = decode($1, 'hex')", hex);
  tx.commit();
  return !deleted.empty();
}

PinPage list_pins(pqxx::connection_base& c, std::optional<PinState> state, std::size_t page_size,
                  const std::optional<PinCursor>& after) {
  pqxx::read_transaction tx(c);
  const int state_value = state ? static_cast<int>(*state) : 0;
  PinPage page;
  page.total =
      tx.exec_params1("SELECT count(*) FROM pins WHERE $1::smallint = 0 OR state = $1::smallint",
                      state_value)[0]
          .as<std::int64_t>();
  const auto rows = tx.exec_params(
      std::string("SELECT ") + kPinColumns +
          " WHERE ($1::smallint = 0 OR p.state = $1::smallint) AND ($2 = '' OR (p.created_at, "
          "p.id) < "
          "(timestamptz 'epoch' + $3::bigint * interval '1 microsecond', decode($2, 'hex'))) "
          "ORDER BY p.created_at DESC, p.id DESC LIMIT $4",
      state_value, after ? to_hex(after->id.view()) : std::string(),
      after ? after->created_us : std::int64_t{0}, static_cast<std::int64_t>(page_size + 1));
  for (const auto& r : rows) {
    if (page.pins.size() == page_size) {
      const auto& last = page.pins.back();
      page.next = PinCursor{last.created_us, last.id};
      break;
    }
    page.pins.push_back(read_row(r));
  }
  return page;
}

std::vector<std::string> live_keepers(pqxx::connection_base& c, std::chrono::milliseconds window) {
  pqxx::read_transaction tx(c);
  std::vector<std::string> out;
  for (const auto& r :
       tx.exec_params("SELECT node_id FROM keepers WHERE last_heartbeat > now() - $1::bigint * "
                      "interval '1 millisecond' ORDER BY node_id",
                      static_cast<std::int64_t>(window.count())))
    out.push_back(r[0].as<std::string>());
  return out;
}

PinTotals read_pin_totals(pqxx::connection_base& c, std::chrono::milliseconds live_window) {
  pqxx::read_transaction tx(c);
  PinTotals out;
  for (const auto& r : tx.exec("SELECT state, count(*) FROM pins GROUP BY state")) {
    const auto n = r[1].as<std::int64_t>();
    out.total += n;
    switch (static_cast<PinState>(r[0].as<int>())) {
      case PinState::kResolving:
        out.resolving += n;
        break;
      case PinState::kAlive:
        out.alive += n;
        break;
      case PinState::kFailed:
        out.failed += n;
        break;
    }
  }
  const auto rows = tx.exec_params(
      "SELECT k.node_id, k.announce_address, k.peer_port, "
      "(extract(epoch FROM k.last_heartbeat) * 1000000)::bigint, "
      "k.last_heartbeat > now() - $1::bigint * interval '1 millisecond', "
      "coalesce(s.pins, 0), coalesce(s.incoming, 0), coalesce(s.served, 0) "
      "FROM keepers k LEFT JOIN ("
      "  SELECT node_id, count(*) AS pins, sum(incoming_connections)::bigint AS incoming, "
      "         sum(metadata_served)::bigint AS served "
      "  FROM pin_keepers GROUP BY node_id) s ON s.node_id = k.node_id "
      "ORDER BY k.node_id LIMIT $2",
      static_cast<std::int64_t>(live_window.count()), static_cast<std::int64_t>(kMaxListedKeepers));
  out.keepers.reserve(rows.size());
  for (const auto& r : rows) {
    KeeperTotals k;
    k.node_id = r[0].as<std::string>();
    k.announce_address = r[1].as<std::string>();
    k.peer_port = r[2].as<std::uint32_t>();
    k.last_heartbeat_us = micros_or_zero(r[3]);
    k.live = r[4].as<bool>();
    k.pins = r[5].as<std::int64_t>();
    k.incoming_connections = r[6].as<std::int64_t>();
    k.metadata_served = r[7].as<std::int64_t>();
    out.keepers.push_back(std::move(k));
  }
  return out;
}

void record_hello(pqxx::connection_base& c, const std::string& node_id,
                  const std::string& announce_address, std::uint32_t peer_port) {
  pqxx::work tx(c);
  tx.exec_params(
      "INSERT INTO keepers (node_id, announce_address, peer_port, last_heartbeat) "
      "VALUES ($1, $2, $3, now()) ON CONFLICT (node_id) DO UPDATE SET "
      "announce_address = excluded.announce_address, peer_port = excluded.peer_port, "
      "last_heartbeat = excluded.last_heartbeat",
      node_id, announce_address, static_cast<std::int64_t>(peer_port));
  tx.commit();
}

void record_heartbeat(pqxx::connection_base& c, const std::string& node_id,
                      std::span<const PinCounters> counters) {
  pqxx::work tx(c);
  tx.exec_params("UPDATE keepers SET last_heartbeat = now() WHERE node_id = $1", node_id);
  // One row per id (the last one wins): ON CONFLICT cannot touch a row twice.
  std::unordered_map<InfoHashV1, const PinCounters*> latest;
  for (const auto& p : counters) latest[p.id] = &p;
  if (!latest.empty()) {
    std::string values;
    for (const auto& [id, p] : latest) {
      if (!values.empty()) values += ",";
      values +=
          "(decode('" + to_hex(id.view()) + "', 'hex'), " +
          timestamp_sql(tx, p->last_dht_announce_us) + ", " +
          timestamp_sql(tx, p->last_tracker_announce_us) + ", " +
          tx.quote(
              static_cast<std::int64_t>(std::min<std::uint64_t>(p->metadata_served, INT64_MAX))) +
          "::bigint, " +
          tx.quote(static_cast<std::int64_t>(
              std::min<std::uint64_t>(p->incoming_connections, INT64_MAX))) +
          "::bigint, " +
          tx.quote(indexer::store::sanitize_text(p->resolve_error, kMaxResolveErrorBytes).text) +
          ")";
    }
    tx.exec(
        "INSERT INTO pin_keepers AS k (pin_id, node_id, last_dht_announce, "
        "last_tracker_announce, metadata_served, incoming_connections, resolve_error) "
        "SELECT v.id, " +
        tx.quote(node_id) + ", v.dht, v.tracker, v.served, v.incoming, v.err FROM (VALUES " +
        values +
        ") AS v(id, dht, tracker, served, incoming, err) "
        "WHERE EXISTS (SELECT 1 FROM pins p WHERE p.id = v.id) "
        "ON CONFLICT (pin_id, node_id) DO UPDATE SET updated_at = now(), "
        "last_dht_announce = coalesce(excluded.last_dht_announce, k.last_dht_announce), "
        "last_tracker_announce = coalesce(excluded.last_tracker_announce, "
        "k.last_tracker_announce), metadata_served = excluded.metadata_served, "
        "incoming_connections = excluded.incoming_connections, "
        "resolve_error = excluded.resolve_error");
  }
  tx.commit();
}

std::vector<PinEntry> load_pins(pqxx::connection_base& c) {
  pqxx::read_transaction tx(c);
  std::vector<PinEntry> out;
  const auto rows = tx.exec("SELECT encode(id, 'hex'), state, revision FROM pins");
  out.reserve(rows.size());
  for (const auto& r : rows) {
    out.push_back({*InfoHashV1::from_hex(r[0].as<std::string>()),
                   static_cast<PinState>(r[1].as<int>()), r[2].as<std::int64_t>()});
  }
  return out;
}

std::vector<AssignmentRow> load_assignments(pqxx::connection_base& c,
                                            std::span<const InfoHashV1> ids) {
  std::vector<AssignmentRow> out;
  if (ids.empty()) return out;
  pqxx::read_transaction tx(c);
  // octet_length of a TOASTed value reads its pointer, not the value.
  const auto rows = tx.exec_params(
      "SELECT encode(p.id, 'hex'), encode(coalesce(p.v2, t.v2), 'hex'), p.state, "
      "octet_length(d.info), array_to_string(p.trackers, E'\\n'), "
      "array_to_string(p.web_seeds, E'\\n'), array_to_string(p.peers, E'\\n'), "
      "coalesce(p.dn, ''), p.revision "
      "FROM pins p LEFT JOIN torrents t ON t.id = p.id "
      "LEFT JOIN torrent_info_dicts d ON d.torrent_id = p.id "
      "WHERE p.id IN (SELECT decode(x, 'hex') FROM unnest(string_to_array($1, ',')) AS u(x))",
      hex_list(ids));
  out.reserve(rows.size());
  for (const auto& r : rows) {
    AssignmentRow a;
    a.id = *InfoHashV1::from_hex(r[0].as<std::string>());
    a.v2 = digest_from_hex_field<InfoHashV2>(r[1]);
    const auto state = static_cast<PinState>(r[2].as<int>());
    a.resolving = state != PinState::kAlive || r[3].is_null();
    if (!a.resolving) a.info_size = r[3].as<std::size_t>();
    a.trackers = split_lines(r[4]);
    a.web_seeds = split_lines(r[5]);
    a.peers = split_lines(r[6]);
    a.name = r[7].as<std::string>();
    a.revision = r[8].as<std::int64_t>();
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<std::pair<InfoHashV1, std::string>> load_info_dicts(pqxx::connection_base& c,
                                                                std::span<const InfoHashV1> ids) {
  std::vector<std::pair<InfoHashV1, std::string>> out;
  if (ids.empty()) return out;
  pqxx::read_transaction tx(c);
  const auto rows = tx.exec_params(
      "SELECT encode(torrent_id, 'hex'), info FROM torrent_info_dicts WHERE torrent_id IN "
      "(SELECT decode(x, 'hex') FROM unnest(string_to_array($1, ',')) AS u(x))",
      hex_list(ids));
  out.reserve(rows.size());
  for (const auto& r : rows)
    out.emplace_back(*InfoHashV1::from_hex(r[0].as<std::string>()), pqxx::binarystring(r[1]).str());
  return out;
}

std::size_t fail_overdue(pqxx::connection_base& c, std::chrono::seconds timeout) {
  pqxx::work tx(c);
  const auto n = tx.exec_params(
      "UPDATE pins p SET state = 3, state_changed_at = now(), revision = p.revision + 1, "
      "failure_reason = 'no peer delivered the metadata within ' || $1::bigint || ' s' || "
      "coalesce((SELECT ' (last keeper error: ' || k.resolve_error || ')' FROM pin_keepers k "
      "WHERE k.pin_id = p.id AND k.resolve_error <> '' ORDER BY k.updated_at DESC LIMIT 1), '') "
      "WHERE p.state = 1 AND p.state_changed_at < now() - $1::bigint * interval '1 second' "
      "RETURNING 1",
      static_cast<std::int64_t>(timeout.count()));
  tx.commit();
  return n.size();
}

}  // namespace magnetar::rpc::pin_store
