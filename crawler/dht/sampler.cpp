#include "crawler/dht/sampler.hpp"

#include <algorithm>
#include <limits>

namespace magnetar::crawler::dht {
namespace {

// Weight of one reply in the running average of new samples: about the last
// ten replies count.
constexpr double kNewFractionWeight = 0.1;
// Prior weight (in samples) of the running average when estimating one
// node's fraction of unseen samples from its last reply: 20 samples are a
// noisy estimate.
constexpr double kPriorSamples = 2;
// Floor of the averages, so that ratios stay finite.
constexpr double kMinFraction = 1e-6;
// Score of a node never sampled: above any expected yield, so that the
// frontier is explored first (and its `nodes` discover the rest).
constexpr double kUnsampledScore = 1e9;
// Ready nodes looked at per pick when their IPs are at the rate limit.
constexpr std::size_t kMaxSkipsPerPick = 256;
// Banned IPs remembered (FIFO), so that memory stays bounded.
constexpr std::size_t kMaxBannedIps = 65'536;

}  // namespace

const char* to_string(Source source) {
  switch (source) {
    case Source::kSample:
      return "sample";
    case Source::kAnnounce:
      return "announce";
    case Source::kGetPeers:
      return "get_peers";
  }
  return "?";
}

Sampler::Sampler(SamplerConfig config)
    : config_(config), recent_(config.recent_capacity), rng_(config.seed) {
  if (config_.max_nodes == 0) config_.max_nodes = 1;
  if (config_.max_in_flight == 0) config_.max_in_flight = 1;
  if (config_.max_failures < 1) config_.max_failures = 1;
  if (config_.packets_per_ip_per_second < 1) config_.packets_per_ip_per_second = 1;
  cursor_ = rng_();
}

double Sampler::score_of(const Node& node) {
  if (node.num < 0) return kUnsampledScore;
  const double per_reply = static_cast<double>(std::min<std::int64_t>(node.num, kSamplesPerReply));
  return per_reply * node.fraction / std::max(node.new_fraction_then, kMinFraction);
}

void Sampler::unlink(const Endpoint& endpoint, Node& node) {
  switch (node.state) {
    case State::kWaiting:
      waiting_.erase({node.not_before, endpoint});
      break;
    case State::kReady:
      ready_.erase(ReadyKey{node.score, node.seq, endpoint});
      break;
    case State::kInFlight:
      deadlines_.erase({node.deadline, endpoint});
      break;
  }
}

void Sampler::make_waiting(const Endpoint& endpoint, Node& node, TimePoint when) {
  unlink(endpoint, node);
  node.state = State::kWaiting;
  node.not_before = when;
  waiting_.insert({when, endpoint});
}

void Sampler::make_ready(const Endpoint& endpoint, Node& node) {
  unlink(endpoint, node);
  node.state = State::kReady;
  node.score = score_of(node);
  ready_.insert(ReadyKey{node.score, node.seq, endpoint});
}

void Sampler::drop(const Endpoint& endpoint) {
  const auto it = nodes_.find(endpoint);
  if (it == nodes_.end()) return;
  unlink(endpoint, it->second);
  lru_.erase(it->second.lru);
  nodes_.erase(it);
  const auto ip = ips_.find(endpoint.ip);
  // An IP without nodes is forgotten (its ids and send times too), so that
  // memory follows the frontier cap however many IPs come and go.
  if (ip != ips_.end() && --ip->second.nodes == 0) ips_.erase(ip);
}

void Sampler::ban(const IpAddress& ip) {
  std::vector<Endpoint> victims;
  for (const auto& [endpoint, node] : nodes_) {
    if (endpoint.ip == ip) victims.push_back(endpoint);
  }
  for (const auto& endpoint : victims) drop(endpoint);
  stats_.dropped_spoofing += victims.size();
  ips_.erase(ip);
  if (banned_.insert(ip).second) {
    ++stats_.banned_ips;
    banned_order_.push_back(ip);
    if (banned_order_.size() > kMaxBannedIps) {
      banned_.erase(banned_order_.front());
      banned_order_.pop_front();
    }
  }
}

void Sampler::evict_one() {
  // The least recently useful node that is not awaiting a reply.
  for (auto it = lru_.rbegin(); it != lru_.rend(); ++it) {
    if (nodes_.at(*it).state != State::kInFlight) {
      const Endpoint victim = *it;
      drop(victim);
      ++stats_.evicted;
      return;
    }
  }
}

void Sampler::learn(const Endpoint& endpoint, std::optional<NodeId> id, TimePoint now) {
  if (endpoint.port == 0 || banned_.contains(endpoint.ip) || (id && own_id_ && *id == *own_id_) ||
      (config_.drop_local_addresses && !is_global(endpoint.ip))) {
    ++stats_.rejected_contacts;
    return;
  }
  if (const auto it = nodes_.find(endpoint); it != nodes_.end()) {
    Node& node = it->second;
    // A third party's claim never overrides the id a node gave itself:
    // anyone could otherwise frame an honest node as a spoofer.
    if (id && node.id && *id != *node.id) {
      ++stats_.rejected_contacts;
      return;
    }
    if (id && !node.id) node.id = id;
    lru_.splice(lru_.begin(), lru_, node.lru);
    return;
  }
  IpState& ip = ips_[endpoint.ip];
  if (ip.nodes >= config_.max_nodes_per_ip) {
    ++stats_.rejected_contacts;
    return;
  }
  if (nodes_.size() >= config_.max_nodes) {
    evict_one();
    if (nodes_.size() >= config_.max_nodes) {  // everything in flight
      ++stats_.rejected_contacts;
      return;
    }
  }
  IpState& ip_after = ips_[endpoint.ip];  // evict_one may have erased it
  ++ip_after.nodes;
  Node node;
  node.id = id;
  node.seq = next_seq_++;
  lru_.push_front(endpoint);
  node.lru = lru_.begin();
  auto& stored = nodes_.emplace(endpoint, node).first->second;
  make_waiting(endpoint, stored, now);
}

bool Sampler::rate_ok(IpState& ip, TimePoint now) const {
  while (!ip.sends.empty() && now - ip.sends.front() >= std::chrono::seconds(1)) {
    ip.sends.pop_front();
  }
  return ip.sends.size() < static_cast<std::size_t>(config_.packets_per_ip_per_second);
}

bool Sampler::take_token(TimePoint now) {
  const double rate = config_.max_requests_per_second;
  if (rate <= 0) return true;
  // A burst of at most one second's worth.
  if (!tokens_at_) {
    tokens_ = rate;
  } else {
    tokens_ =
        std::min(rate, tokens_ + rate * std::chrono::duration<double>(now - *tokens_at_).count());
  }
  tokens_at_ = now;
  if (tokens_ < 1) return false;
  tokens_ -= 1;
  return true;
}

NodeId Sampler::next_target() {
  std::array<std::uint8_t, NodeId::kSize> bytes{};
  for (std::size_t i = 0; i < bytes.size(); i += 8) {
    const std::uint64_t r = rng_();
    for (std::size_t j = 0; j < 8 && i + j < bytes.size(); ++j) {
      bytes[i + j] = static_cast<std::uint8_t>(r >> (8 * j));
    }
  }
  if (config_.target_mode == TargetMode::kKeyspaceCursor) {
    // Golden-ratio steps over the top 64 bits: every prefix of the keyspace
    // is visited about equally often, without repeating a region early.
    cursor_ += 0x9e3779b97f4a7c15ull;
    for (std::size_t j = 0; j < 8; ++j) {
      bytes[j] = static_cast<std::uint8_t>(cursor_ >> (56 - 8 * j));
    }
  }
  return NodeId(bytes);
}

void Sampler::expire(TimePoint now) {
  while (!deadlines_.empty() && deadlines_.begin()->first <= now) {
    const Endpoint endpoint = deadlines_.begin()->second;
    Node& node = nodes_.at(endpoint);
    ++stats_.timeouts;
    if (++node.failures >= config_.max_failures) {
      drop(endpoint);
      ++stats_.dropped_dead;
    } else {
      make_waiting(endpoint, node, now + config_.retry_after_timeout);
    }
  }
}

std::optional<SampleRequest> Sampler::next(TimePoint now) {
  expire(now);
  while (!waiting_.empty() && waiting_.begin()->first <= now) {
    const Endpoint endpoint = waiting_.begin()->second;
    make_ready(endpoint, nodes_.at(endpoint));
  }
  if (deadlines_.size() >= config_.max_in_flight) return std::nullopt;
  std::size_t looked = 0;
  for (auto it = ready_.begin(); it != ready_.end() && looked < kMaxSkipsPerPick; ++it, ++looked) {
    const Endpoint endpoint = it->endpoint;
    Node& node = nodes_.at(endpoint);
    if (node.num >= 0 && it->score * new_fraction_ < config_.min_expected_yield) {
      // Sorted by score: nothing further is worth a packet now. Such nodes
      // are asked again once revisit_after has passed since their reply.
      const TimePoint revisit = node.last_reply + config_.revisit_after;
      if (revisit > now) {
        make_waiting(endpoint, node, revisit);
        return std::nullopt;
      }
    }
    IpState& ip = ips_[endpoint.ip];
    if (!rate_ok(ip, now)) {
      ++stats_.rate_limited;
      continue;
    }
    if (!take_token(now)) {
      ++stats_.throttled;
      return std::nullopt;
    }
    ip.sends.push_back(now);
    unlink(endpoint, node);
    node.state = State::kInFlight;
    node.deadline = now + config_.request_timeout;
    deadlines_.insert({node.deadline, endpoint});
    ++stats_.sent;
    return SampleRequest{endpoint, next_target()};
  }
  return std::nullopt;
}

std::vector<Discovery> Sampler::on_reply(const SampleReply& reply, TimePoint now) {
  std::vector<Discovery> found;
  if (banned_.contains(reply.endpoint.ip)) return found;
  auto it = nodes_.find(reply.endpoint);
  if (it != nodes_.end() && it->second.verified && it->second.id &&
      *it->second.id != reply.node_id) {
    // The same endpoint answering with another id: a spoofer (or a node
    // that restarted; either way its earlier identity is gone).
    drop(reply.endpoint);
    ++stats_.dropped_spoofing;
    return found;
  }
  IpState& ip = ips_[reply.endpoint.ip];
  if (std::find(ip.ids.begin(), ip.ids.end(), reply.node_id) == ip.ids.end()) {
    ip.ids.push_back(reply.node_id);
    if (ip.ids.size() > config_.max_ids_per_ip) {
      ban(reply.endpoint.ip);
      return found;
    }
  }
  ++stats_.replies;
  if (it == nodes_.end()) {
    learn(reply.endpoint, reply.node_id, now);
    it = nodes_.find(reply.endpoint);
    ++stats_.late_replies;
  } else if (it->second.state != State::kInFlight) {
    ++stats_.late_replies;
  }

  std::size_t fresh = 0;
  for (const auto& ih : reply.samples) {
    if (recent_.insert(ih)) {
      ++fresh;
      found.push_back(Discovery{ih, Source::kSample, reply.endpoint, std::nullopt});
    }
  }
  stats_.samples += reply.samples.size();
  stats_.new_infohashes += fresh;
  const double before = new_fraction_;
  if (!reply.samples.empty()) {
    const double f = static_cast<double>(fresh) / static_cast<double>(reply.samples.size());
    new_fraction_ =
        std::max(kMinFraction, (1 - kNewFractionWeight) * new_fraction_ + kNewFractionWeight * f);
  }

  if (it != nodes_.end()) {
    const Endpoint endpoint = it->first;
    Node& node = it->second;
    node.id = reply.node_id;
    node.verified = true;
    node.failures = 0;
    node.num = std::max<std::int64_t>(0, reply.num);
    node.last_reply = now;
    const auto n = static_cast<double>(reply.samples.size());
    if (reply.samples.empty() || static_cast<std::int64_t>(reply.samples.size()) >= node.num) {
      // It returned everything it holds (or nothing): the next reply brings
      // only what it stores meanwhile.
      node.fraction = 0;
    } else {
      node.fraction = (static_cast<double>(fresh) + kPriorSamples * before) / (n + kPriorSamples);
    }
    node.new_fraction_then = new_fraction_;
    lru_.splice(lru_.begin(), lru_, node.lru);
    const auto interval = std::clamp(reply.interval, std::chrono::seconds(0), kMaxSampleInterval);
    make_waiting(endpoint, node, now + interval);
  }

  if (const auto left = ips_.find(reply.endpoint.ip);
      left != ips_.end() && left->second.nodes == 0) {
    ips_.erase(left);  // a reply from a node the frontier had no room for
  }
  const std::size_t contacts = std::min(reply.nodes.size(), kMaxContactsPerReply);
  for (std::size_t i = 0; i < contacts; ++i) learn(reply.nodes[i].endpoint, reply.nodes[i].id, now);
  return found;
}

std::vector<NodeSchedule> Sampler::schedule(TimePoint now) const {
  std::vector<NodeSchedule> out;
  out.reserve(nodes_.size());
  for (const auto& endpoint : lru_) {
    const Node& node = nodes_.at(endpoint);
    NodeSchedule s;
    s.endpoint = endpoint;
    s.id = node.id;
    s.num = node.num;
    if (node.state == State::kWaiting && node.not_before > now) {
      s.wait = std::chrono::ceil<std::chrono::seconds>(node.not_before - now);
    }
    out.push_back(s);
  }
  return out;
}

void Sampler::restore(const std::vector<NodeSchedule>& nodes, TimePoint now) {
  // Oldest first, so that the LRU order comes back as it was.
  for (auto it = nodes.rbegin(); it != nodes.rend(); ++it) {
    learn(it->endpoint, it->id, now);
    const auto found = nodes_.find(it->endpoint);
    if (found == nodes_.end()) continue;
    found->second.num = it->num;
    const auto wait = std::clamp(it->wait, std::chrono::seconds(0), kMaxSampleInterval);
    make_waiting(it->endpoint, found->second, now + wait);
  }
}

}  // namespace magnetar::crawler::dht
