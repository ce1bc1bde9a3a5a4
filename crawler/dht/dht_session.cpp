#include "crawler/dht/dht_session.hpp"

#include <atomic>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <libtorrent/alert_types.hpp>
#include <libtorrent/bdecode.hpp>
#include <libtorrent/disabled_disk_io.hpp>
#include <libtorrent/session.hpp>
#include <libtorrent/session_params.hpp>
#include <libtorrent/session_stats.hpp>
#include <libtorrent/settings_pack.hpp>
#include <stdexcept>

namespace magnetar::crawler::dht {
namespace {

// What the DHT may send when no cap is set. libtorrent's default (8,000 B/s)
// starves a crawler: once spent, our node drops incoming requests too
// (testnet-notes.md). 0 is not "unlimited" there (it divides by it).
constexpr int kDhtUploadUnlimited = 100'000'000;
// The DHT's floor under a small cap: below this it cannot even answer pings.
constexpr std::int64_t kMinDhtUpload = 16'000;
// libtorrent's DoS blocker on the loopback testnet: the crawler and busy
// neighbours exceed 50 packets per 10 s per IP all the time there
// (testnet-notes.md). On the real DHT libtorrent's default (5/s) stays,
// and the sampler keeps our own rate under it.
constexpr int kLoopbackBlockRateLimit = 1'000'000;
constexpr int kLoopbackBlockTimeoutSeconds = 1;

lt::address to_lt(const IpAddress& ip) {
  if (ip.v6) return lt::address_v6(ip.bytes);
  std::array<unsigned char, 4> v4{};
  std::copy_n(ip.bytes.begin(), 4, v4.begin());
  return lt::address_v4(v4);
}

IpAddress from_lt(const lt::address& a) {
  IpAddress ip;
  if (a.is_v4()) {
    const auto b = a.to_v4().to_bytes();
    std::copy(b.begin(), b.end(), ip.bytes.begin());
  } else {
    const auto b = a.to_v6().to_bytes();
    std::copy(b.begin(), b.end(), ip.bytes.begin());
    ip.v6 = true;
  }
  return ip;
}

template <class LtEndpoint>
Endpoint from_lt(const LtEndpoint& e) {
  return Endpoint{from_lt(e.address()), e.port()};
}

lt::udp::endpoint to_udp(const Endpoint& e) { return {to_lt(e.ip), e.port}; }

InfoHashV1 from_lt(const lt::sha1_hash& h) {
  return *InfoHashV1::from_bytes(std::string_view(h.data(), h.size()));
}

lt::sha1_hash to_lt(const InfoHashV1& h) { return lt::sha1_hash(h.view().data()); }

std::string join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += ',';
    out += p;
  }
  return out;
}

int metric(const char* name) {
  const int index = lt::find_metric_idx(name);
  if (index < 0) throw std::runtime_error(std::string("libtorrent has no metric ") + name);
  return index;
}

}  // namespace

std::vector<std::string> default_routers() {
  return {"router.bittorrent.com:6881", "router.utorrent.com:6881", "dht.transmissionbt.com:6881",
          "dht.libtorrent.org:25401"};
}

struct DhtSession::Impl : std::enable_shared_from_this<DhtSession::Impl> {
  Impl(boost::asio::io_context& io_context, DhtSessionConfig c, DhtEvents& e)
      : io(io_context), config(std::move(c)), events(e) {}

  boost::asio::io_context& io;
  DhtSessionConfig config;
  DhtEvents& events;
  std::unique_ptr<lt::session> session;
  std::atomic<bool> drain_posted{false};
  bool listening = false;
  std::int64_t queries_out_exact = 0;
  std::vector<lt::alert*> alerts;

  struct Metrics {
    int sample_infohashes_out = metric("dht.dht_sample_infohashes_out");
    int find_node_out = metric("dht.dht_find_node_out");
    int get_peers_out = metric("dht.dht_get_peers_out");
    int ping_out = metric("dht.dht_ping_out");
    int announce_peer_out = metric("dht.dht_announce_peer_out");
    int messages_out = metric("dht.dht_messages_out");
    int messages_in = metric("dht.dht_messages_in");
    int bytes_out = metric("dht.dht_bytes_out");
    int bytes_in = metric("dht.dht_bytes_in");
    std::vector<int> queries_in = {metric("dht.dht_ping_in"),
                                   metric("dht.dht_find_node_in"),
                                   metric("dht.dht_get_peers_in"),
                                   metric("dht.dht_announce_peer_in"),
                                   metric("dht.dht_get_in"),
                                   metric("dht.dht_put_in"),
                                   metric("dht.dht_sample_infohashes_in")};
  } metrics;

  std::int64_t dht_upload_limit() const {
    if (config.bandwidth_cap <= 0) return kDhtUploadUnlimited;
    const auto share =
        static_cast<std::int64_t>(static_cast<double>(config.bandwidth_cap) * config.dht_share);
    return std::min<std::int64_t>(kDhtUploadUnlimited, std::max(kMinDhtUpload, share));
  }

  lt::settings_pack settings() const {
    lt::settings_pack s;
    s.set_str(lt::settings_pack::listen_interfaces, config.listen_interfaces);
    s.set_str(lt::settings_pack::dht_bootstrap_nodes, join(config.routers));
    s.set_bool(lt::settings_pack::enable_dht, true);
    s.set_bool(lt::settings_pack::enable_lsd, config.local_discovery);
    s.set_bool(lt::settings_pack::enable_upnp, config.port_mapping);
    s.set_bool(lt::settings_pack::enable_natpmp, config.port_mapping);
    s.set_bool(lt::settings_pack::enable_ip_notifier, !config.loopback);
    s.set_int(lt::settings_pack::dht_upload_rate_limit, static_cast<int>(dht_upload_limit()));
    s.set_int(lt::settings_pack::dht_max_peers_reply, config.max_peers_reply);
    s.set_int(lt::settings_pack::alert_queue_size, config.alert_queue_size);
    s.set_int(lt::settings_pack::send_socket_buffer_size, config.socket_buffer);
    s.set_int(lt::settings_pack::recv_socket_buffer_size, config.socket_buffer);
    if (config.loopback) {
      s.set_bool(lt::settings_pack::dht_restrict_routing_ips, false);
      s.set_bool(lt::settings_pack::dht_restrict_search_ips, false);
      s.set_bool(lt::settings_pack::dht_prefer_verified_node_ids, false);
      s.set_bool(lt::settings_pack::dht_enforce_node_id, false);
      s.set_bool(lt::settings_pack::dht_ignore_dark_internet, false);
      s.set_int(lt::settings_pack::dht_block_ratelimit, kLoopbackBlockRateLimit);
      s.set_int(lt::settings_pack::dht_block_timeout, kLoopbackBlockTimeoutSeconds);
    }
    lt::alert_category_t mask = lt::alert_category::error | lt::alert_category::status |
                                lt::alert_category::dht | lt::alert_category::dht_operation |
                                lt::alert_category::stats;
    if (config.count_queries) mask |= lt::alert_category::dht_log;
    s.set_int(lt::settings_pack::alert_mask, static_cast<int>(static_cast<std::uint32_t>(mask)));
    return s;
  }

  void start() {
    lt::session_params params(settings());
    // No torrent is ever added: no disk I/O threads or cache.
    params.disk_io_constructor = lt::disabled_disk_io_constructor;
    if (!config.saved_state.empty()) {
      try {
        lt::session_params saved = lt::read_session_params(
            lt::span<const char>(config.saved_state.data(),
                                 static_cast<std::ptrdiff_t>(config.saved_state.size())),
            lt::session::save_dht_state);
        // libtorrent bootstraps from these itself, but only by a traversal
        // that may run before its socket is open: ping them as well.
        for (const auto& ep : saved.dht_state.nodes) config.bootstrap_nodes.push_back(from_lt(ep));
        for (const auto& ep : saved.dht_state.nodes6) config.bootstrap_nodes.push_back(from_lt(ep));
        params.dht_state = std::move(saved.dht_state);
      } catch (const std::exception&) {
        // A corrupt saved state costs a fresh node id and a bootstrap.
      }
    }
    session = std::make_unique<lt::session>(std::move(params));
    std::weak_ptr<Impl> weak = weak_from_this();
    session->set_alert_notify([weak, &io = io] {
      // libtorrent's thread: only post the drain, at most one pending.
      const auto self = weak.lock();
      if (!self || self->drain_posted.exchange(true)) return;
      boost::asio::post(io, [weak] {
        if (const auto s = weak.lock()) s->drain();
      });
    });
    for (const auto& node : config.bootstrap_nodes) add_node(node);
  }

  void add_node(const Endpoint& node) {
    session->add_dht_node({node.ip.to_string(), static_cast<int>(node.port)});
  }

  void drain() {
    drain_posted = false;
    if (!session) return;
    session->pop_alerts(&alerts);
    for (lt::alert* a : alerts) handle(a);
  }

  void handle(lt::alert* a) {
    if (const auto* s = lt::alert_cast<lt::dht_sample_infohashes_alert>(a)) {
      SampleReply r;
      r.endpoint = from_lt(static_cast<const lt::udp::endpoint&>(s->endpoint));
      r.node_id = from_lt(s->node_id);
      r.interval = std::chrono::duration_cast<std::chrono::seconds>(s->interval);
      r.num = s->num_infohashes;
      for (const auto& h : s->samples()) r.samples.push_back(from_lt(h));
      for (const auto& [id, ep] : s->nodes()) r.nodes.push_back(Contact{from_lt(id), from_lt(ep)});
      events.on_sample_reply(r);
    } else if (const auto* p = lt::alert_cast<lt::dht_get_peers_reply_alert>(a)) {
      std::vector<Endpoint> peers;
      for (const auto& ep : p->peers()) peers.push_back(from_lt(ep));
      events.on_get_peers_reply(from_lt(p->info_hash), peers);
    } else if (const auto* an = lt::alert_cast<lt::dht_announce_alert>(a)) {
      events.on_incoming_announce(from_lt(an->info_hash),
                                  Endpoint{from_lt(static_cast<const lt::address&>(an->ip)),
                                           static_cast<std::uint16_t>(an->port)});
    } else if (const auto* g = lt::alert_cast<lt::dht_get_peers_alert>(a)) {
      events.on_incoming_get_peers(from_lt(g->info_hash));
    } else if (const auto* st = lt::alert_cast<lt::dht_stats_alert>(a)) {
      RoutingTableStats r;
      r.buckets = st->routing_table.size();
      for (const auto& b : st->routing_table) {
        r.nodes += static_cast<std::size_t>(b.num_nodes);
        r.replacements += static_cast<std::size_t>(b.num_replacements);
      }
      r.lookups = st->active_requests.size();
      events.on_routing_table(r);
    } else if (const auto* ss = lt::alert_cast<lt::session_stats_alert>(a)) {
      const auto c = ss->counters();
      DhtCounters d;
      d.sample_infohashes_out = c[metrics.sample_infohashes_out];
      d.find_node_out = c[metrics.find_node_out];
      d.get_peers_out = c[metrics.get_peers_out];
      d.ping_out = c[metrics.ping_out];
      d.announce_peer_out = c[metrics.announce_peer_out];
      d.messages_out = c[metrics.messages_out];
      d.messages_in = c[metrics.messages_in];
      d.bytes_out = c[metrics.bytes_out];
      d.bytes_in = c[metrics.bytes_in];
      for (const int i : metrics.queries_in) d.queries_in += c[i];
      if (config.count_queries) d.queries_out_exact = queries_out_exact;
      events.on_counters(d);
    } else if (const auto* l = lt::alert_cast<lt::listen_succeeded_alert>(a)) {
      // The DHT runs on the UDP (uTP) socket; a query sent before it is
      // open is silently lost.
      if (l->socket_type == lt::socket_type_t::utp) {
        listening = true;
      }
    } else if (const auto* pkt = lt::alert_cast<lt::dht_pkt_alert>(a)) {
      if (pkt->direction == lt::dht_pkt_alert::outgoing && is_query(pkt->pkt_buf()))
        ++queries_out_exact;
    }
  }

  // KRPC (BEP 5): a message whose "y" is "q" is a query.
  static bool is_query(lt::span<const char> packet) {
    lt::error_code ec;
    const lt::bdecode_node msg = lt::bdecode(packet, ec);
    return !ec && msg.type() == lt::bdecode_node::dict_t && msg.dict_find_string_value("y") == "q";
  }
};

DhtSession::DhtSession(boost::asio::io_context& io, DhtSessionConfig config, DhtEvents& events)
    : impl_(std::make_shared<Impl>(io, std::move(config), events)) {
  impl_->start();
}

DhtSession::~DhtSession() {
  if (impl_->session) impl_->session->set_alert_notify([] {});
  impl_->session.reset();  // waits for libtorrent's threads
}

void DhtSession::sample_infohashes(const Endpoint& node, const NodeId& target) {
  impl_->session->dht_sample_infohashes(to_udp(node), to_lt(target));
}

void DhtSession::get_peers(const InfoHashV1& ih) { impl_->session->dht_get_peers(to_lt(ih)); }

bool DhtSession::announce(const InfoHashV1& ih, std::uint16_t port) {
  if (port == 0) return false;
  impl_->session->dht_announce(to_lt(ih), port);
  return true;
}

void DhtSession::add_node(const Endpoint& node) { impl_->add_node(node); }

void DhtSession::map_tcp_port(std::uint16_t port) {
  if (!impl_->config.port_mapping || port == 0) return;
  impl_->session->add_port_mapping(lt::portmap_protocol::tcp, port, port);
}

void DhtSession::post_routing_table() { impl_->session->post_dht_stats(); }

void DhtSession::post_counters() { impl_->session->post_session_stats(); }

std::vector<Endpoint> DhtSession::routing_table_nodes() const {
  const lt::session_params p = impl_->session->session_state(lt::session::save_dht_state);
  std::vector<Endpoint> out;
  for (const auto& ep : p.dht_state.nodes) out.push_back(from_lt(ep));
  for (const auto& ep : p.dht_state.nodes6) out.push_back(from_lt(ep));
  return out;
}

std::vector<char> DhtSession::save_state() const {
  return lt::write_session_params_buf(impl_->session->session_state(lt::session::save_dht_state),
                                      lt::session::save_dht_state);
}

std::int64_t DhtSession::peer_wire_rate_limit() const {
  if (impl_->config.bandwidth_cap <= 0) return 0;
  return std::max<std::int64_t>(1, impl_->config.bandwidth_cap - impl_->dht_upload_limit());
}

bool DhtSession::listening() const {
  // The socket opens first; queries sent before the DHT node runs are
  // dropped without a trace.
  return impl_->listening && impl_->session->is_dht_running();
}

std::uint16_t DhtSession::listen_port() const { return impl_->session->listen_port(); }

NodeId DhtSession::node_id() const {
  const lt::session_params p = impl_->session->session_state(lt::session::save_dht_state);
  if (p.dht_state.nids.empty()) return NodeId{};
  return from_lt(p.dht_state.nids.front().second);
}

}  // namespace magnetar::crawler::dht
