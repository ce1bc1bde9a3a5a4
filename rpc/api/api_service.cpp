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
#include "rpc/api/database_call.hpp"
#include "rpc/api/torrent_id.hpp"
#include "rpc/common/bearer_token.hpp"
#include "rpc/hub/pg_pin_store.hpp"

namespace magnetar::rpc {
namespace {

// A removal or block reason longer than this is cut (the store sanitizes it).
constexpr std::size_t kMaxReasonBytes = 512;
// A file name of a .torrent download: the name cut to this many bytes.
constexpr std::size_t kMaxFileNameBytes = 200;

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
    fill_stats(search::read_stats(c, time, kLiveNodeWindow),
               pin_store::read_pin_totals(c, options_.keeper_live_window), *response);
    return grpc::Status::OK;
  });
}

grpc::Status ApiService::DeleteTorrent(grpc::ServerContext* context,
                                       const v1::DeleteTorrentRequest* request,
                                       v1::DeleteTorrentResponse* response) {
  bool existed = false;
  auto s = block(*context, request->id(), request->reason(), "deleted through the API", existed);
  response->set_existed(existed);
  return s;
}

grpc::Status ApiService::BlockInfohash(grpc::ServerContext* context,
                                       const v1::BlockInfohashRequest* request,
                                       v1::BlockInfohashResponse* response) {
  bool existed = false;
  auto s = block(*context, request->id(), request->reason(), "blocked through the API", existed);
  response->set_existed(existed);
  return s;
}

// Delete and Block alike: the store's block removes what is stored and keeps
// the id out of every later write.
grpc::Status ApiService::block(const grpc::ServerContext& context, const std::string& id_text,
                               const std::string& reason, const char* default_reason,
                               bool& existed) {
  if (auto s = check_write(context); !s.ok()) return s;
  std::string why;
  const auto id = parse_torrent_id(id_text, &why);
  if (!id) return bad_id(why);
  return with_connection(pool_, context, [&](pqxx::connection_base& c, auto) {
    existed = search::torrent_exists(c, *id);
    store_.block(*id,
                 reason.empty() ? std::string(default_reason) : reason.substr(0, kMaxReasonBytes));
    return grpc::Status::OK;
  });
}

}  // namespace magnetar::rpc
