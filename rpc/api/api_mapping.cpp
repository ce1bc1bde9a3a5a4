#include "rpc/api/api_mapping.hpp"

#include <google/protobuf/util/time_util.h>

#include "common/codec.hpp"
#include "common/magnet.hpp"
#include "indexer/search/query_parser.hpp"

namespace magnetar::rpc {
namespace {

using google::protobuf::util::TimeUtil;

// indexer/classify's ContentType values 1..11 are the proto's; its kUnknown
// (0) is CONTENT_TYPE_UNKNOWN, since a proto enum's zero means "not set".
constexpr int kUnknownType = 0;

search::TimePoint to_time(const google::protobuf::Timestamp& t) {
  return search::TimePoint(std::chrono::duration_cast<search::TimePoint::duration>(
      std::chrono::microseconds(TimeUtil::TimestampToMicroseconds(t))));
}

google::protobuf::Timestamp to_proto_time(search::TimePoint t) {
  return TimeUtil::MicrosecondsToTimestamp(
      std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count());
}

v1::Count to_proto_count(const search::Count& c) {
  v1::Count out;
  out.set_value(c.value);
  out.set_estimated(c.estimated);
  return out;
}

}  // namespace

v1::ContentType to_proto_type(int content_type) {
  if (content_type == kUnknownType) return v1::CONTENT_TYPE_UNKNOWN;
  if (content_type >= v1::CONTENT_TYPE_MOVIE && content_type <= v1::CONTENT_TYPE_XXX) {
    return static_cast<v1::ContentType>(content_type);
  }
  return v1::CONTENT_TYPE_UNSPECIFIED;
}

std::optional<int> from_proto_type(v1::ContentType type) {
  if (type == v1::CONTENT_TYPE_UNKNOWN) return kUnknownType;
  if (type >= v1::CONTENT_TYPE_MOVIE && type <= v1::CONTENT_TYPE_XXX) return static_cast<int>(type);
  return std::nullopt;
}

Result<std::pair<search::SortKey, bool>, std::string> parse_order_by(std::string_view text,
                                                                     bool has_query) {
  const auto trim = [](std::string_view s) {
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    return s;
  };
  text = trim(text);
  if (text.empty()) {
    return std::pair{has_query ? search::SortKey::kRelevance : search::SortKey::kFirstSeen, false};
  }
  bool ascending = false;
  std::string_view field = text;
  if (const auto space = text.find(' '); space != std::string_view::npos) {
    field = text.substr(0, space);
    const auto dir = trim(text.substr(space));
    if (dir == "asc") {
      ascending = true;
    } else if (dir != "desc") {
      return std::string("order_by: expected \"asc\" or \"desc\" after the field, got \"") +
             std::string(dir) + "\"";
    }
  }
  if (field == "relevance") return std::pair{search::SortKey::kRelevance, ascending};
  if (field == "first_seen") return std::pair{search::SortKey::kFirstSeen, ascending};
  if (field == "size") return std::pair{search::SortKey::kSize, ascending};
  return std::string("order_by: unknown field \"") + std::string(field) +
         "\" (relevance, first_seen or size)";
}

Result<search::SearchSpec, std::string> to_search_spec(const v1::SearchRequest& r) {
  search::SearchSpec s;
  auto query = search::parse_query(r.query());
  if (!query) return "query: " + query.error().message();
  s.query = std::move(*query);
  s.query_text = r.query();
  for (int t : r.content_types()) {
    auto type = from_proto_type(static_cast<v1::ContentType>(t));
    if (!type) return std::string("content_types: CONTENT_TYPE_UNSPECIFIED or an unknown value");
    s.content_types.push_back(*type);
  }
  if (r.has_min_size_bytes()) s.min_size = r.min_size_bytes();
  if (r.has_max_size_bytes()) s.max_size = r.max_size_bytes();
  if (r.has_first_seen_after()) s.first_seen_after = to_time(r.first_seen_after());
  if (r.has_first_seen_before()) s.first_seen_before = to_time(r.first_seen_before());
  s.years.assign(r.years().begin(), r.years().end());
  s.resolutions.assign(r.resolutions().begin(), r.resolutions().end());
  if (r.has_season()) s.season = r.season();
  if (r.has_episode()) s.episode = r.episode();
  for (const auto& x : r.file_extensions()) {
    std::string lower;
    for (char c : x) lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    if (!lower.empty() && lower.front() == '.') lower.erase(0, 1);
    s.extensions.push_back(std::move(lower));
  }
  auto order = parse_order_by(r.order_by(), !s.query.empty());
  if (!order) return order.error();
  s.sort = order->first;
  s.ascending = order->second;
  s.page_size = r.page_size() == 0 ? search::kDefaultPageSize : r.page_size();
  s.page_token = r.page_token();
  return s;
}

std::string magnet_of(const search::Hit& hit, const std::vector<std::string>& trackers,
                      const std::vector<std::string>& web_seeds) {
  magnet::Magnet m;
  m.trackers = trackers;
  m.web_seeds = web_seeds;
  const bool v2_only = hit.v2 && truncate(*hit.v2) == hit.id;
  if (!v2_only) m.hashes.v1 = hit.id;
  m.hashes.v2 = hit.v2;
  m.display_name = hit.name;
  return magnet::format_magnet(m);
}

void fill_summary(const search::Hit& h, v1::TorrentSummary& out) {
  out.set_info_hash(to_hex(h.id.view()));
  if (h.v2) out.set_info_hash_v2(to_hex(h.v2->view()));
  out.set_name(h.name);
  out.set_size_bytes(h.size);
  out.set_file_count(h.file_count);
  out.set_content_type(to_proto_type(h.content_type));
  *out.mutable_first_seen() = to_proto_time(h.first_seen);
  *out.mutable_last_seen() = to_proto_time(h.last_seen);
  if (h.year) out.set_year(*h.year);
  if (h.resolution) out.set_resolution(*h.resolution);
  if (h.season) out.set_season(*h.season);
  if (h.episode) out.set_episode(*h.episode);
  out.set_magnet(magnet_of(h));
  out.set_score(h.score);
}

void fill_page(const search::SearchPage& page, v1::SearchResponse& out) {
  for (const auto& h : page.hits) fill_summary(h, *out.add_torrents());
  out.set_next_page_token(page.next_page_token);
  *out.mutable_total() = to_proto_count(page.total);
  for (const auto& [type, count] : page.content_types) {
    auto* c = out.add_content_types();
    c->set_content_type(to_proto_type(type));
    *c->mutable_count() = to_proto_count(count);
  }
}

void fill_torrent(const search::TorrentDetails& d, v1::Torrent& out) {
  fill_summary(d.summary, *out.mutable_summary());
  for (const auto& t : d.trackers) out.add_trackers(t);
  for (const auto& w : d.web_seeds) out.add_web_seeds(w);
  if (!d.trackers.empty() || !d.web_seeds.empty()) {
    out.mutable_summary()->set_magnet(magnet_of(d.summary, d.trackers, d.web_seeds));
  }
  out.set_title(d.title);
  for (const auto& f : d.files) {
    auto* file = out.add_files();
    file->set_path(f.path);
    file->set_size_bytes(f.size);
  }
  out.set_files_truncated(d.files_truncated);
  out.set_piece_length(d.piece_length);
  out.set_private_(d.is_private);
  out.set_info_dict_stored(d.info_dict_stored);
}

void fill_stats(const search::IndexStats& s, const pin_store::PinTotals& pins,
                v1::StatsResponse& out) {
  out.set_torrents(s.torrents);
  for (std::size_t t = 0; t < s.per_content_type.size(); ++t) {
    if (s.per_content_type[t] == 0) continue;
    auto* c = out.add_content_types();
    c->set_content_type(to_proto_type(static_cast<int>(t)));
    c->mutable_count()->set_value(s.per_content_type[t]);
  }
  out.set_blocked_infohashes(s.blocked);
  out.set_database_bytes(s.database_bytes);
  out.set_live_crawler_nodes(s.live_crawler_nodes);
  for (const auto& [name, rate] : s.crawl_rates) (*out.mutable_crawl_rates())[name] = rate;
  auto* counts = out.mutable_pins();
  counts->set_total(pins.total);
  counts->set_resolving(pins.resolving);
  counts->set_alive(pins.alive);
  counts->set_failed(pins.failed);
  for (const auto& k : pins.keepers) {
    auto* row = out.add_keepers();
    row->set_node_id(k.node_id);
    row->set_announce_address(k.announce_address);
    row->set_peer_port(k.peer_port);
    *row->mutable_last_heartbeat() = TimeUtil::MicrosecondsToTimestamp(k.last_heartbeat_us);
    row->set_live(k.live);
    row->set_pins(k.pins);
    row->set_incoming_connections(k.incoming_connections);
    row->set_metadata_served(k.metadata_served);
  }
}

}  // namespace magnetar::rpc
