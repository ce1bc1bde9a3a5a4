#include "crawler/wire/mse_errors.hpp"

#include <string>

#include "common/error_category.hpp"

namespace magnetar::crawler::wire {
namespace {

constexpr char kName[] = "mse";

std::string describe(int ev) {
  switch (static_cast<MseErrc>(ev)) {
    case MseErrc::kBadPublicKey:
      return "invalid Diffie-Hellman public key";
    case MseErrc::kSyncNotFound:
      return "sync point not found within the padding limit";
    case MseErrc::kUnknownInfohash:
      return "obfuscated infohash matches no torrent we serve";
    case MseErrc::kBadVerificationConstant:
      return "bad verification constant";
    case MseErrc::kNoCommonCryptoMethod:
      return "no common crypto method";
    case MseErrc::kInvalidCryptoSelect:
      return "crypto_select is not a method we provided";
    case MseErrc::kPadTooLong:
      return "padding longer than 512 bytes";
    case MseErrc::kPlaintextRefused:
      return "plaintext handshake refused: encryption required";
  }
  return "unknown mse error";
}

}  // namespace

std::error_code make_error_code(MseErrc e) {
  return {static_cast<int>(e), ErrorCategory<kName, describe>::instance()};
}

}  // namespace magnetar::crawler::wire
