#include "crawler/wire/mse_responder.hpp"

#include <algorithm>
#include <cassert>
#include <cstdint>
#include <span>
#include <utility>

#include "crawler/wire/mse_bytes.hpp"
#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/mse_keys.hpp"

namespace magnetar::crawler::wire {

using namespace mse_bytes;

namespace {

// BEP 3: a plaintext connection starts with the length-prefixed protocol
// string. A DH public key starting with these 20 bytes has probability 2^-160.
constexpr std::string_view kPlaintextPrefix =
    "\x13"
    "BitTorrent protocol";

}  // namespace

MseResponder::MseResponder(MseSkeyLookup lookup, EncryptionPolicy policy, const RandomBytes& random,
                           MseOptions options)
    : lookup_(std::move(lookup)),
      policy_(policy),
      private_key_(random_dh_private_key(random)),
      dh_group_(options.dh_group),
      pad_b_(random_pad(random, options.max_pad < kMsePadMax ? options.max_pad : kMsePadMax)) {}

MseStep MseResponder::fail(std::error_code code, std::string to_send) {
  status_ = MseStatus::kFailed;
  state_ = State::kEnd;
  error_ = Error(code, consumed_);
  buffer_.clear();
  return {status_, std::move(to_send)};
}

void MseResponder::consume(std::size_t n) {
  buffer_.erase(0, n);
  consumed_ += n;
}

// ENCRYPT(VC, crypto_select, len(PadD), PadD), then the payload stream.
MseStep MseResponder::finish(std::string to_send) {
  std::string step4(kMseVcSize, '\0');
  put_u32(step4, static_cast<std::uint32_t>(selected_));
  put_u16(step4, 0);  // PadD: empty, as the spec advises
  send_->apply(range(step4, 0, step4.size()));
  to_send += step4;

  outcome_.method = selected_;
  if (selected_ == CryptoMethod::kRc4) outcome_.cipher = MseCipher(*send_, *receive_);
  send_.reset();
  receive_.reset();
  // outcome_.payload holds IA (decrypted with RC4 whatever was selected);
  // the bytes after it are ENCRYPT2.
  const std::size_t rest_from = outcome_.payload.size();
  outcome_.payload += buffer_;
  buffer_.clear();
  outcome_.cipher.decrypt(std::span<char>(outcome_.payload).subspan(rest_from));
  status_ = MseStatus::kDone;
  state_ = State::kEnd;
  return {status_, std::move(to_send)};
}

MseStep MseResponder::feed(std::string_view received) {
  if (status_ != MseStatus::kNeedMore) return {status_, {}};
  buffer_.append(received);
  std::string to_send;
  for (;;) {
    switch (state_) {
      case State::kEnd:
        return {status_, std::move(to_send)};

      case State::kReadKey: {
        const std::size_t prefix = std::min(buffer_.size(), kPlaintextPrefix.size());
        if (std::string_view(buffer_).substr(0, prefix) == kPlaintextPrefix.substr(0, prefix)) {
          if (prefix < kPlaintextPrefix.size()) return {status_, std::move(to_send)};
          if (!accepts_plaintext_handshake(policy_)) {
            return fail(MseErrc::kPlaintextRefused, std::move(to_send));
          }
          outcome_.mse = false;
          outcome_.method = CryptoMethod::kPlaintext;
          outcome_.payload = std::move(buffer_);
          buffer_.clear();
          status_ = MseStatus::kDone;
          state_ = State::kEnd;
          return {status_, std::move(to_send)};
        }
        if (buffer_.size() < kDhKeySize) return {status_, std::move(to_send)};
        const DhKeyExchange dh =
            dh_group_ ? DhKeyExchange(private_key_, *dh_group_) : DhKeyExchange(private_key_);
        const Result<DhKey> secret = dh.shared_secret(as_bytes(buffer_).first<kDhKeySize>());
        if (!secret) return fail(secret.error().code, std::move(to_send));
        secret_ = *secret;
        consume(kDhKeySize);
        to_send += as_chars(dh.public_key());
        to_send += pad_b_;
        req1_ = mse_req1_hash(secret_);
        state_ = State::kSyncReq1;
        break;
      }

      case State::kSyncReq1: {
        const std::string_view window =
            std::string_view(buffer_).substr(0, kMseResponderSyncWindow);
        const std::size_t at = window.find(req1_.view());
        if (at == std::string_view::npos) {
          if (buffer_.size() >= kMseResponderSyncWindow) {
            return fail(MseErrc::kSyncNotFound, std::move(to_send));
          }
          return {status_, std::move(to_send)};
        }
        consume(at + kMseHashSize);
        state_ = State::kReadSkey;
        break;
      }

      case State::kReadSkey: {
        if (buffer_.size() < kMseHashSize) return {status_, std::move(to_send)};
        const auto masked =
            Sha1Digest::from_bytes(std::string_view(buffer_).substr(0, kMseHashSize));
        const std::optional<InfoHashV1> skey = lookup_(*masked ^ mse_req3_hash(secret_));
        if (!skey) return fail(MseErrc::kUnknownInfohash, std::move(to_send));
        consume(kMseHashSize);
        outcome_.skey = *skey;
        receive_ = mse_initiator_rc4(secret_, *skey);
        send_ = mse_responder_rc4(secret_, *skey);
        state_ = State::kReadProvide;
        break;
      }

      case State::kReadProvide: {
        constexpr std::size_t kSize = kMseVcSize + kMseCryptoFieldSize + kMseLengthSize;
        if (buffer_.size() < kSize) return {status_, std::move(to_send)};
        receive_->apply(range(buffer_, 0, kSize));
        const std::string_view fields(buffer_);
        if (fields.substr(0, kMseVcSize).find_first_not_of('\0') != std::string_view::npos) {
          return fail(MseErrc::kBadVerificationConstant, std::move(to_send));
        }
        const std::optional<CryptoMethod> method =
            select_crypto(get_u32(fields.substr(kMseVcSize)), policy_);
        if (!method) return fail(MseErrc::kNoCommonCryptoMethod, std::move(to_send));
        pad_c_size_ = get_u16(fields.substr(kMseVcSize + kMseCryptoFieldSize));
        if (pad_c_size_ > kMsePadMax) return fail(MseErrc::kPadTooLong, std::move(to_send));
        selected_ = *method;
        consume(kSize);
        state_ = State::kReadPadC;
        break;
      }

      case State::kReadPadC: {
        const std::size_t size = pad_c_size_ + kMseLengthSize;
        if (buffer_.size() < size) return {status_, std::move(to_send)};
        receive_->apply(range(buffer_, 0, size));
        ia_size_ = get_u16(std::string_view(buffer_).substr(pad_c_size_));
        consume(size);
        state_ = State::kReadIa;
        break;
      }

      case State::kReadIa: {
        if (buffer_.size() < ia_size_) return {status_, std::move(to_send)};
        receive_->apply(range(buffer_, 0, ia_size_));
        outcome_.payload = buffer_.substr(0, ia_size_);
        consume(ia_size_);
        return finish(std::move(to_send));
      }
    }
  }
}

}  // namespace magnetar::crawler::wire
