#include "rpc/hub/hub_service.hpp"

#include <memory>
#include <mutex>
#include <vector>

#include "rpc/common/bearer_token.hpp"

namespace magnetar::rpc {
namespace {

namespace store = indexer::store;

store::Source to_source(v1::Source s) {
  switch (s) {
    case v1::SOURCE_DHT_SAMPLE:
      return store::Source::kDhtSample;
    case v1::SOURCE_DHT_ANNOUNCE:
      return store::Source::kDhtAnnounce;
    case v1::SOURCE_DHT_GET_PEERS:
      return store::Source::kDhtGetPeers;
    case v1::SOURCE_PIN:
      return store::Source::kPin;
    default:
      return store::Source::kUnknown;
  }
}

std::chrono::system_clock::time_point to_time(const google::protobuf::Timestamp& t) {
  if (t.seconds() == 0 && t.nanos() == 0) return std::chrono::system_clock::now();
  return std::chrono::system_clock::time_point(
      std::chrono::duration_cast<std::chrono::system_clock::duration>(
          std::chrono::seconds(t.seconds()) + std::chrono::nanoseconds(t.nanos())));
}

v1::Verdict to_verdict(store::Triage t) {
  switch (t) {
    case store::Triage::kNew:
      return v1::VERDICT_NEW;
    case store::Triage::kKnown:
      return v1::VERDICT_KNOWN;
    case store::Triage::kBlocked:
      return v1::VERDICT_BLOCKED;
  }
  return v1::VERDICT_UNSPECIFIED;
}

// Ends a stream at once, e.g. when its token is wrong.
class RejectReactor final : public grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse> {
 public:
  explicit RejectReactor(grpc::Status status) { Finish(std::move(status)); }
  void OnDone() override { delete this; }
};

// One Ingest stream. Requests are read one at a time and handed to the
// pipeline (whose blocking submit is the stream's backpressure); acks arrive
// on the store's writer thread and are written in batches, one write in
// flight (the callback API allows no more). State shared with those acks
// outlives the reactor, which gRPC deletes via OnDone.
class IngestReactor final : public grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse> {
 public:
  explicit IngestReactor(indexer::ingest::IngestPipeline& pipeline)
      : pipeline_(pipeline), shared_(std::make_shared<Shared>()) {
    shared_->reactor = this;
    StartRead(&request_);
  }

  void OnReadDone(bool ok) override {
    if (!ok) {
      {
        std::lock_guard lock(shared_->mu);
        reads_done_ = true;
      }
      act();
      return;
    }
    const std::uint64_t sequence = request_.sequence();
    indexer::ingest::IngestItem item{std::move(*request_.mutable_info_dict()),
                                     to_source(request_.source()), to_time(request_.seen_at())};
    {
      std::lock_guard lock(shared_->mu);
      ++shared_->outstanding;
    }
    bool failed = false;
    try {
      pipeline_.ingest(std::move(item), [shared = shared_, sequence] { shared->ack(sequence); });
    } catch (const std::exception& e) {
      // The store cannot take it (e.g. PostgreSQL down while blocking):
      // end the stream; the node keeps the item in its outbox and retries.
      std::lock_guard lock(shared_->mu);
      --shared_->outstanding;
      failure_ = grpc::Status(grpc::StatusCode::UNAVAILABLE, e.what());
      reads_done_ = true;
      failed = true;
    }
    if (!failed) StartRead(&request_);
    act();
  }

  void OnWriteDone(bool ok) override {
    {
      std::lock_guard lock(shared_->mu);
      writing_ = false;
      if (!ok) cancelled_ = true;  // the client is gone
    }
    act();
  }

  void OnCancel() override {
    {
      std::lock_guard lock(shared_->mu);
      cancelled_ = true;
    }
    act();
  }

  void OnDone() override {
    {
      std::lock_guard lock(shared_->mu);
      shared_->reactor = nullptr;  // late acks find no stream
    }
    delete this;
  }

 private:
  struct Shared {
    std::mutex mu;
    IngestReactor* reactor = nullptr;
    std::vector<std::uint64_t> committed;  // acked, not yet written
    std::uint64_t outstanding = 0;         // handed to the pipeline, not yet acked

    void ack(std::uint64_t sequence) {
      IngestReactor* r;
      {
        std::lock_guard lock(mu);
        --outstanding;
        committed.push_back(sequence);
        r = reactor;
      }
      if (r != nullptr) r->act();
    }
  };

  // Decides under the lock, acts outside it: starts the next write of acks,
  // or finishes the stream once reading is over and every item is acked.
  void act() {
    bool write = false;
    bool finish = false;
    grpc::Status status = grpc::Status::OK;
    {
      std::lock_guard lock(shared_->mu);
      if (finished_ || shared_->reactor == nullptr) return;
      if (!writing_ && !cancelled_ && !shared_->committed.empty()) {
        response_.Clear();
        for (auto s : shared_->committed) response_.add_committed(s);
        shared_->committed.clear();
        writing_ = write = true;
      } else if (!writing_ && reads_done_ &&
                 (cancelled_ || failure_ ||
                  (shared_->outstanding == 0 && shared_->committed.empty()))) {
        finished_ = finish = true;
        status = failure_ ? *failure_ : grpc::Status::OK;
      }
    }
    if (write) StartWrite(&response_);
    if (finish) Finish(status);
  }

  indexer::ingest::IngestPipeline& pipeline_;
  std::shared_ptr<Shared> shared_;
  v1::IngestRequest request_;
  v1::IngestResponse response_;
  // Guarded by shared_->mu.
  bool reads_done_ = false;
  bool writing_ = false;
  bool cancelled_ = false;
  bool finished_ = false;
  std::optional<grpc::Status> failure_;
};

}  // namespace

grpc::ServerUnaryReactor* HubService::Triage(grpc::CallbackServerContext* context,
                                             const v1::TriageRequest* request,
                                             v1::TriageResponse* response) {
  auto* reactor = context->DefaultReactor();
  if (auto auth = check_bearer(*context, token_); !auth.ok()) {
    reactor->Finish(auth);
    return reactor;
  }
  if (static_cast<std::size_t>(request->info_hashes_size()) > kMaxTriageBatch) {
    reactor->Finish({grpc::StatusCode::INVALID_ARGUMENT,
                     "at most " + std::to_string(kMaxTriageBatch) + " infohashes per call"});
    return reactor;
  }
  std::vector<InfoHashV1> ids;
  ids.reserve(request->info_hashes_size());
  for (int i = 0; i < request->info_hashes_size(); ++i) {
    auto id = InfoHashV1::from_bytes(request->info_hashes(i));
    if (!id) {
      reactor->Finish({grpc::StatusCode::INVALID_ARGUMENT,
                       "info_hashes[" + std::to_string(i) + "] is not 20 bytes"});
      return reactor;
    }
    ids.push_back(*id);
  }
  try {
    for (auto t : pipeline_.triage(ids)) response->add_verdicts(to_verdict(t));
    reactor->Finish(grpc::Status::OK);
  } catch (const std::exception& e) {
    reactor->Finish({grpc::StatusCode::UNAVAILABLE, e.what()});
  }
  return reactor;
}

grpc::ServerBidiReactor<v1::IngestRequest, v1::IngestResponse>* HubService::Ingest(
    grpc::CallbackServerContext* context) {
  if (auto auth = check_bearer(*context, token_); !auth.ok()) return new RejectReactor(auth);
  return new IngestReactor(pipeline_);
}

grpc::ServerUnaryReactor* HubService::Report(grpc::CallbackServerContext* context,
                                             const v1::NodeReport* request,
                                             v1::ReportResponse* /*response*/) {
  auto* reactor = context->DefaultReactor();
  if (auto auth = check_bearer(*context, token_); !auth.ok()) {
    reactor->Finish(auth);
    return reactor;
  }
  if (reports_ == nullptr) {
    reactor->Finish({grpc::StatusCode::UNIMPLEMENTED, "this hub keeps no node reports"});
    return reactor;
  }
  NodeReportRecord record;
  record.node_id = request->node_id();
  if (request->has_started_at()) {
    record.started_at = std::chrono::system_clock::time_point(
        std::chrono::duration_cast<std::chrono::system_clock::duration>(
            std::chrono::seconds(request->started_at().seconds()) +
            std::chrono::nanoseconds(request->started_at().nanos())));
  }
  // Checked on the map's size before copying, so a huge report costs nothing.
  if (static_cast<std::size_t>(request->counters_size()) > kMaxReportEntries ||
      static_cast<std::size_t>(request->gauges_size()) > kMaxReportEntries) {
    reactor->Finish({grpc::StatusCode::INVALID_ARGUMENT,
                     "at most " + std::to_string(kMaxReportEntries) + " counters and gauges"});
    return reactor;
  }
  record.counters.insert(request->counters().begin(), request->counters().end());
  record.gauges.insert(request->gauges().begin(), request->gauges().end());
  if (auto problem = report_problem(record)) {
    reactor->Finish({grpc::StatusCode::INVALID_ARGUMENT, *problem});
    return reactor;
  }
  try {
    reports_->record(record);
    reactor->Finish(grpc::Status::OK);
  } catch (const std::exception& e) {
    reactor->Finish({grpc::StatusCode::UNAVAILABLE, std::string("node report: ") + e.what()});
  }
  return reactor;
}

}  // namespace magnetar::rpc
