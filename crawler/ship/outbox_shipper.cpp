#include "crawler/ship/outbox_shipper.hpp"

#include <algorithm>
#include <vector>

#include "common/log.hpp"
#include "crawler/ship/hub_connection.hpp"

namespace magnetar::crawler::ship {
namespace {

// How long a stream whose Write failed may take to report its end.
constexpr std::chrono::seconds kStreamCloseGrace{5};

v1::Source to_proto(state::Source s) {
  switch (s) {
    case state::Source::kDhtSample:
      return v1::SOURCE_DHT_SAMPLE;
    case state::Source::kDhtAnnounce:
      return v1::SOURCE_DHT_ANNOUNCE;
    case state::Source::kDhtGetPeers:
      return v1::SOURCE_DHT_GET_PEERS;
    case state::Source::kPin:
      return v1::SOURCE_PIN;
    case state::Source::kUnknown:
      break;
  }
  return v1::SOURCE_UNSPECIFIED;
}

void set_time(google::protobuf::Timestamp& out, state::TimePoint t) {
  const auto ns =
      std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
  out.set_seconds(ns / 1'000'000'000);
  out.set_nanos(static_cast<std::int32_t>(ns % 1'000'000'000));
}

}  // namespace

OutboxShipper::OutboxShipper(HubClient& hub, state::Outbox& outbox, ShipperOptions options)
    : hub_(hub), outbox_(outbox), options_(std::move(options)) {}

OutboxShipper::~OutboxShipper() { stop(); }

void OutboxShipper::start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  outbox_.set_append_listener([this] {
    // Taking the lock orders this wake-up after a waiter's predicate check.
    { std::lock_guard l(mu_); }
    wake_.notify_all();
  });
  thread_ = std::thread([this] { run(); });
}

void OutboxShipper::stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
  outbox_.set_append_listener({});
}

ShipperCounters OutboxShipper::counters() const {
  ShipperCounters c;
  c.shipped = shipped_.load();
  c.acked = acked_.load();
  c.reconnects = reconnects_.load();
  c.stream_failures = stream_failures_.load();
  c.auth_failures = auth_failures_.load();
  {
    std::lock_guard lock(mu_);
    c.in_flight = in_flight_.size();
  }
  c.outbox_depth = outbox_.size();
  c.outbox_bytes = outbox_.bytes();
  return c;
}

bool OutboxShipper::ready_to_send() const {
  if (in_flight_.size() >= options_.max_in_flight_items) return false;
  if (!in_flight_.empty() && in_flight_bytes_ >= options_.max_in_flight_bytes) return false;
  const auto last = outbox_.last_seq();
  return last && *last >= next_;
}

void OutboxShipper::run() {
  auto backoff = options_.backoff_min;
  for (bool first = true;; first = false) {
    {
      std::lock_guard lock(mu_);
      if (stopping_) return;
    }
    if (!first) reconnects_.fetch_add(1);
    const auto end = run_stream();
    std::unique_lock lock(mu_);
    if (stopping_) return;
    if (end.acked_any) backoff = options_.backoff_min;
    wake_.wait_for(lock, backoff, [this] { return stopping_; });
    backoff = std::min(backoff * 2, options_.backoff_max);
  }
}

OutboxShipper::StreamEnd OutboxShipper::run_stream() {
  auto log = logger("ship");
  auto& connection = hub_.connection();
  grpc::ClientContext context;  // no deadline: a long-lived stream
  connection.authorize(context);
  {
    std::lock_guard lock(mu_);
    if (stopping_) return {};
    context_ = &context;
    broken_ = false;
    in_flight_.clear();
    in_flight_bytes_ = 0;
    next_ = 0;  // everything still in the outbox, from its first item
    last_progress_ = std::chrono::steady_clock::now();
  }
  auto stream = connection.stub->Ingest(&context);
  const auto acked_before = acked_.load();

  std::thread reader([&] {
    v1::IngestResponse response;
    while (stream->Read(&response)) {
      const std::vector<std::uint64_t> seqs(response.committed().begin(),
                                            response.committed().end());
      // Committed in PostgreSQL: now, and only now, it may leave the outbox.
      outbox_.remove(seqs);
      {
        std::lock_guard lock(mu_);
        for (auto seq : seqs) {
          auto it = in_flight_.find(seq);
          if (it == in_flight_.end()) continue;
          in_flight_bytes_ -= it->second;
          in_flight_.erase(it);
          acked_.fetch_add(1);
        }
        last_progress_ = std::chrono::steady_clock::now();
      }
      wake_.notify_all();
    }
    {
      std::lock_guard lock(mu_);
      broken_ = true;
    }
    wake_.notify_all();
  });

  std::string why;  // set when this side ends the stream
  for (;;) {
    std::uint64_t from;
    std::size_t room_items;
    std::uint64_t room_bytes;
    {
      std::unique_lock lock(mu_);
      const auto woke = wake_.wait_until(lock, last_progress_ + options_.ack_timeout, [this] {
        return stopping_ || broken_ || ready_to_send();
      });
      if (stopping_ || broken_) break;
      if (!woke) {
        if (!in_flight_.empty()) {
          why = "no ack for " + std::to_string(options_.ack_timeout.count()) + " ms";
          break;
        }
        last_progress_ = std::chrono::steady_clock::now();  // idle, not stuck
        continue;
      }
      from = next_;
      room_items = options_.max_in_flight_items - in_flight_.size();
      room_bytes = options_.max_in_flight_bytes > in_flight_bytes_
                       ? options_.max_in_flight_bytes - in_flight_bytes_
                       : 1;  // ready_to_send allows one item when nothing is in flight
    }
    const auto items = outbox_.peek(from, room_items, room_bytes);
    if (items.empty()) {
      // Only damaged items (skipped by peek) were left: do not spin on them.
      std::lock_guard lock(mu_);
      next_ = std::max(next_, outbox_.last_seq().value_or(0) + 1);
      continue;
    }
    bool written = true;
    for (const auto& item : items) {
      v1::IngestRequest request;
      request.set_sequence(item.seq);
      request.set_info_dict(item.info_dict);
      request.set_source(to_proto(item.source));
      set_time(*request.mutable_seen_at(), item.seen_at);
      request.set_node_id(options_.node_id);
      {
        // In flight before the write: the ack may come back before Write returns.
        std::lock_guard lock(mu_);
        if (in_flight_.emplace(item.seq, item.info_dict.size()).second) {
          in_flight_bytes_ += item.info_dict.size();
        }
        next_ = item.seq + 1;
      }
      if (!stream->Write(request)) {
        written = false;
        break;
      }
      shipped_.fetch_add(1);
    }
    if (!written) break;
  }

  // This side ends the stream only on an ack timeout (stop() cancels it
  // itself); otherwise the call is over already and Finish() reports why
  // (a cancel here would mask UNAUTHENTICATED as CANCELLED).
  // A failed Write means the call is over, and the reader's Read ends too;
  // should it not within the grace, cancel rather than hang.
  bool cancel = !why.empty();
  if (!cancel) {
    std::unique_lock lock(mu_);
    cancel = !wake_.wait_for(lock, kStreamCloseGrace, [this] { return broken_ || stopping_; });
  }
  if (cancel) context.TryCancel();
  reader.join();
  const auto status = stream->Finish();
  const bool stopping = [&] {
    std::lock_guard lock(mu_);
    context_ = nullptr;
    in_flight_.clear();
    in_flight_bytes_ = 0;
    return stopping_;
  }();
  StreamEnd end{.acked_any = acked_.load() > acked_before};
  if (stopping) return end;
  stream_failures_.fetch_add(1);
  if (status.error_code() == grpc::StatusCode::UNAUTHENTICATED) {
    auth_failures_.fetch_add(1);
    log->error(
        "hub {} refused the cluster token ({}): check the node's token; {} items wait "
        "in the outbox",
        hub_.options().address, status.error_message(), outbox_.size());
  } else if (!why.empty()) {
    log->warn("hub {} ingest stream: {}; reconnecting and resending {} unacked items",
              hub_.options().address, why, outbox_.size());
  } else {
    log->warn("hub {} ingest stream ended ({}: {}); reconnecting, {} items wait in the outbox",
              hub_.options().address, static_cast<int>(status.error_code()), status.error_message(),
              outbox_.size());
  }
  return end;
}

}  // namespace magnetar::crawler::ship
