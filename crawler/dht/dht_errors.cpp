#include "crawler/dht/dht_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::crawler::dht {
namespace {

constexpr char kName[] = "dht";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kSamplesLength:
      return "samples length is not a multiple of 20";
    case Errc::kTooManySamples:
      return "more samples than a reply can carry";
    case Errc::kNodesLength:
      return "compact node info has a partial entry";
    case Errc::kSnapshotFormat:
      return "malformed DHT snapshot";
  }
  return "unknown dht error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::dht
