#include "rpc/api/api_service.hpp"

#include <pqxx/pqxx>

#include "common/log.hpp"
#include "common/metainfo.hpp"
#include "common/torrent_file.hpp"
#include "indexer/search/search_engine.hpp"
#include "indexer/search/torrent_reader.hpp"
#include "indexer/store/torrent_store.hpp"
#include "rpc/api/api_limits.hpp"
#include "rpc/api/api_mapping.hpp"
#include "rpc/api/torrent_id.hpp"
#include "rpc/common/bearer_token.hpp"

namespace magnetar::rpc {
namespace {

// A removal or block reason longer than this is cut (the store sanitizes it).
constexpr std::size_t kMaxReasonBytes = 512;
// A file name of a .torrent download: the name cut to this many bytes.
constexpr std::size_t kMaxFileNameBytes = 200;

// The time this call may take: the client's deadline, capped by ours.
std::chrono::milliseconds budget(const grpc::ServerContext& context) {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
      context.deadline() - std::chrono::system_clock::now());
  return std::min(left, kMaxApiDeadline);
}

// Runs body with a leased connection and the call's time budget, turning
// failures into statuses: a statement timeout is DEADLINE_EXCEEDED, a lost
// database UNAVAILABLE.
template <class F>
grpc::Status with_connection(ConnectionPool& pool, const grpc::ServerContext& context, F body) {
  const auto time = budget(context);
  if (time.count() <= 0) return {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded"};
  try {
    auto lease = pool.acquire(time);
    if (!lease)
      return {grpc::StatusCode::RESOURCE_EXHAUSTED,
              "server busy: no database connection came free in time"};
    return body(**lease, time);
  } catch (const pqxx::broken_connection& e) {
    logger("api")->warn("database connection lost: {}", e.what());
    return {grpc::StatusCode::UNAVAILABLE, "database unavailable"};
  } catch (const pqxx::sql_error& e) {
    // 57014 query_canceled: our statement_timeout, i.e. the call's budget.
    if (e.sqlstate() == "57014") return {grpc::StatusCode::DEADLINE_EXCEEDED, "deadline exceeded"};
    logger("api")->error("query failed: {}", e.what());
    return {grpc::StatusCode::INTERNAL, "query failed"};
  } catch (const std::exception& e) {
    logger("api")->error("request failed: {}", e.what());
    return {grpc::StatusCode::INTERNAL, "request failed"};
  }
}

grpc::Status bad_id(const std::string& why) {
  return {grpc::StatusCode::INVALID_ARGUMENT, "id: " + why};
}

// A name safe as a file name on every system.
std::string file_name_of(const std::string& name) {
  std::string out;
  for (char c : name.substr(0, kMaxFileNameBytes)) {
    const bool bad = c == '/' || c == '\\' || c == ':' || c == '*' || c == '?' || c == '"' ||
                     c == '<' || c == '>' || c == '|' || static_cast<unsigned char>(c) < 0x20;
    out.push_back(bad ? '_' : c);
  }
  if (out.empty() || out == "." || out == "..") out = "torrent";
  return out + ".torrent";
}

}  // namespace

ApiService::ApiService(ApiServiceOptions options, indexer::store::TorrentStore& store)
    : options_(std::move(options)), store_(store), pool_(options_.dsn, options_.db_connections) {}

ApiService::~ApiService() = default;

grpc::Status ApiService::check_read(const grpc::ServerContext& context) const {
  if (options_.public_reads) return grpc::Status::OK;
  return check_bearer(context, options_.token);
}

grpc::Status ApiService::check_write(const grpc::ServerContext& context) const {
  return check_bearer(context, options_.token);
}

grpc::Status ApiService::Search(grpc::ServerContext* context, const v1::SearchRequest* request,
                                v1::SearchResponse* response) {
  if (auto s = check_read(*context); !s.ok()) return s;
  auto spec = to_search_spec(*request);
  if (!spec) return {grpc::StatusCode::INVALID_ARGUMENT, spec.error()};
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto time) {
    auto page = search::run_search(c, *spec, time);
    if (!page) return grpc::Status(grpc::StatusCode::INVALID_ARGUMENT, page.error().message());
    fill_page(*page, *response);
    return grpc::Status::OK;
  });
}

grpc::Status ApiService::GetTorrent(grpc::ServerContext* context,
                                    const v1::GetTorrentRequest* request, v1::Torrent* response) {
  if (auto s = check_read(*context); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(request->id(), &why);
  if (!id) return bad_id(why);
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto time) {
    const auto details = search::read_torrent(c, *id, time);
    if (!details) return grpc::Status(grpc::StatusCode::NOT_FOUND, "not indexed: " + request->id());
    fill_torrent(*details, *response);
    return grpc::Status::OK;
  });
}

grpc::Status ApiService::GetTorrentFile(grpc::ServerContext* context,
                                        const v1::GetTorrentFileRequest* request,
                                        v1::TorrentFileContent* response) {
  if (auto s = check_read(*context); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(request->id(), &why);
  if (!id) return bad_id(why);
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto time) {
    const auto details = search::read_torrent(c, *id, time);
    if (!details) return grpc::Status(grpc::StatusCode::NOT_FOUND, "not indexed: " + request->id());
    const auto info = search::read_info_dict(c, *id, time);
    if (!info) {
      return grpc::Status(
          grpc::StatusCode::FAILED_PRECONDITION,
          "the info dict of this torrent is not stored: the store's raw-info policy "
          "(store.raw_info) "
          "keeps it only for pinned torrents unless set to \"all\"; pin it to keep it");
    }
    response->set_file_name(file_name_of(details->summary.name));
    response->set_content(metainfo::make_torrent_file(*info, {}, {}));
    return grpc::Status::OK;
  });
}

grpc::Status ApiService::Stats(grpc::ServerContext* context, const v1::StatsRequest*,
                               v1::StatsResponse* response) {
  if (auto s = check_read(*context); !s.ok()) return s;
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto time) {
    fill_stats(search::read_stats(c, time, kLiveNodeWindow), *response);
    return grpc::Status::OK;
  });
}

grpc::Status ApiService::DeleteTorrent(grpc::ServerContext* context,
                                       const v1::DeleteTorrentRequest* request,
                                       v1::DeleteTorrentResponse* response) {
  if (auto s = check_write(*context); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(request->id(), &why);
  if (!id) return bad_id(why);
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto) {
    response->set_existed(search::torrent_exists(c, *id));
    const auto reason = request->reason().empty() ? std::string("deleted through the API")
                                                  : request->reason().substr(0, kMaxReasonBytes);
    store_.block(*id, reason);
    return grpc::Status::OK;
  });
}

grpc::Status ApiService::BlockInfohash(grpc::ServerContext* context,
                                       const v1::BlockInfohashRequest* request,
                                       v1::BlockInfohashResponse* response) {
  if (auto s = check_write(*context); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(request->id(), &why);
  if (!id) return bad_id(why);
  return with_connection(pool_, *context, [&](pqxx::connection_base& c, auto) {
    response->set_existed(search::torrent_exists(c, *id));
    const auto reason = request->reason().empty() ? std::string("blocked through the API")
                                                  : request->reason().substr(0, kMaxReasonBytes);
    store_.block(*id, reason);
    return grpc::Status::OK;
  });
}

}  // namespace magnetar::rpc
