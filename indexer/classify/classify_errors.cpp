#include "indexer/classify/classify_errors.hpp"

#include <string>

#include "common/error_category.hpp"

namespace magnetar::indexer::classify {
namespace {

constexpr char kName[] = "classify rules";

std::string describe(int ev) {
  switch (static_cast<Errc>(ev)) {
    case Errc::kIo:
      return "cannot read the rules file";
    case Errc::kSyntax:
      return "TOML syntax error";
    case Errc::kUnsupportedVersion:
      return "unsupported rules format version";
    case Errc::kUnknownKey:
      return "unknown key";
    case Errc::kWrongType:
      return "value of the wrong type";
    case Errc::kBadValue:
      return "invalid value";
    case Errc::kBadPattern:
      return "invalid shape pattern";
    case Errc::kMissingKey:
      return "missing key";
  }
  return "unknown classify rules error";
}

}  // namespace

std::error_code make_error_code(Errc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::indexer::classify
