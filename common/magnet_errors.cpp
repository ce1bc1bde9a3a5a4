#include "common/magnet_errors.hpp"

#include "common/error_category.hpp"

namespace magnetar::magnet {
namespace {

constexpr char kName[] = "magnet";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kTooLong:
      return "URI too long";
    case Errc::kNotMagnet:
      return "not a magnet URI (expected \"magnet:?\")";
    case Errc::kTooManyParams:
      return "too many parameters";
    case Errc::kBadPercentEncoding:
      return "'%' not followed by two hex digits";
    case Errc::kEmptyKey:
      return "parameter with an empty name";
    case Errc::kMissingInfoHash:
      return "no urn:btih: or urn:btmh: infohash";
    case Errc::kBadInfoHash:
      return "malformed infohash";
    case Errc::kConflictingInfoHash:
      return "two different infohashes of the same version";
    case Errc::kBadExactLength:
      return "exact length (xl) is not a 64-bit decimal number";
    case Errc::kBadPeer:
      return "peer address (x.pe) is not host:port";
    case Errc::kBadSelectOnly:
      return "select-only (so) is not a list of indices and ranges";
    case Errc::kConflictingParameter:
      return "parameter repeated with a different value";
  }
  return "unknown magnet error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::magnet
