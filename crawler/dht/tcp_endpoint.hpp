// A DHT contact (node_endpoint.hpp, kept free of asio) as a TCP endpoint:
// the peers a get_peers lookup or an announce names are fetched from over
// TCP (BEP 3).
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "crawler/dht/node_endpoint.hpp"

namespace magnetar::crawler::dht {

boost::asio::ip::tcp::endpoint to_tcp(const Endpoint& e);

}  // namespace magnetar::crawler::dht
