#include "crawler/ship/hub_client.hpp"

#include <algorithm>

#include "crawler/ship/hub_connection.hpp"
#include "rpc/common/bearer_token.hpp"

namespace magnetar::crawler::ship {
namespace {

Verdict from_proto(int v) {
  switch (v) {
    case v1::VERDICT_KNOWN:
      return Verdict::kKnown;
    case v1::VERDICT_BLOCKED:
      return Verdict::kBlocked;
    default:
      // NEW, or a value this node does not know: fetching is the safe side
      // (the hub decides again at ingest).
      return Verdict::kNew;
  }
}

int ms(std::chrono::milliseconds d) {
  return static_cast<int>(std::min<std::chrono::milliseconds::rep>(d.count(), INT32_MAX));
}

}  // namespace

HubError::HubError(int grpc_code, const std::string& message)
    : std::runtime_error(message), code_(grpc_code) {}

bool HubError::unauthenticated() const { return code_ == grpc::StatusCode::UNAUTHENTICATED; }

HubClient::HubClient(HubClientOptions options)
    : options_(std::move(options)), connection_(std::make_unique<HubConnection>()) {
  if (options_.token.empty()) throw std::invalid_argument("the hub client needs a cluster token");
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(kMaxHubMessageBytes);
  args.SetMaxSendMessageSize(kMaxHubMessageBytes);
  args.SetInt(GRPC_ARG_KEEPALIVE_TIME_MS, ms(kKeepaliveTime));
  args.SetInt(GRPC_ARG_KEEPALIVE_TIMEOUT_MS, ms(kKeepaliveTimeout));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, ms(options_.max_reconnect_backoff));
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              std::min(1000, ms(options_.max_reconnect_backoff)));
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS,
              std::min(1000, ms(options_.max_reconnect_backoff)));
  connection_->channel =
      grpc::CreateCustomChannel(options_.address, grpc::InsecureChannelCredentials(), args);
  connection_->stub = v1::Hub::NewStub(connection_->channel);
  connection_->authorization = rpc::bearer_metadata(options_.token).second;
}

HubClient::~HubClient() = default;

std::vector<Verdict> HubClient::triage(std::span<const InfoHashV1> ids) {
  std::vector<Verdict> out;
  out.reserve(ids.size());
  for (std::size_t at = 0; at < ids.size(); at += kMaxTriageBatch) {
    const auto chunk = ids.subspan(at, std::min(kMaxTriageBatch, ids.size() - at));
    v1::TriageRequest request;
    for (const auto& id : chunk) request.add_info_hashes(std::string(id.view()));
    v1::TriageResponse response;
    grpc::ClientContext context;
    connection_->authorize(context);
    context.set_deadline(std::chrono::system_clock::now() + options_.call_deadline);
    const auto status = connection_->stub->Triage(&context, request, &response);
    if (!status.ok()) {
      throw HubError(status.error_code(), "hub Triage: " + status.error_message());
    }
    if (static_cast<std::size_t>(response.verdicts_size()) != chunk.size()) {
      throw HubError(grpc::StatusCode::INTERNAL,
                     "hub Triage: " + std::to_string(response.verdicts_size()) + " verdicts for " +
                         std::to_string(chunk.size()) + " infohashes");
    }
    for (int v : response.verdicts()) out.push_back(from_proto(v));
  }
  return out;
}

void HubClient::report(const NodeReport& report,
                       std::optional<std::chrono::milliseconds> deadline) {
  v1::NodeReport request;
  request.set_node_id(report.node_id);
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(report.started_at.time_since_epoch())
          .count();
  request.mutable_started_at()->set_seconds(ns / 1'000'000'000);
  request.mutable_started_at()->set_nanos(static_cast<std::int32_t>(ns % 1'000'000'000));
  request.mutable_counters()->insert(report.counters.begin(), report.counters.end());
  request.mutable_gauges()->insert(report.gauges.begin(), report.gauges.end());
  v1::ReportResponse response;
  grpc::ClientContext context;
  connection_->authorize(context);
  context.set_deadline(std::chrono::system_clock::now() +
                       deadline.value_or(options_.call_deadline));
  const auto status = connection_->stub->Report(&context, request, &response);
  if (!status.ok()) throw HubError(status.error_code(), "hub Report: " + status.error_message());
}

}  // namespace magnetar::crawler::ship
