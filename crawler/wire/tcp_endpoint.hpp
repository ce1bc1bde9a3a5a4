// A PeerEndpoint (plain bytes, as the codecs see it) as the socket loops'
// endpoint type.
#pragma once

#include <boost/asio/ip/tcp.hpp>

#include "crawler/wire/peer_endpoint.hpp"

namespace magnetar::crawler::wire {

boost::asio::ip::tcp::endpoint to_tcp(const PeerEndpoint& p);

}  // namespace magnetar::crawler::wire
