#include "crawler/wire/mse_initiator.hpp"

#include <cassert>
#include <cstdint>
#include <span>
#include <utility>

#include "crawler/wire/mse_bytes.hpp"
#include "crawler/wire/mse_errors.hpp"
#include "crawler/wire/mse_keys.hpp"

namespace magnetar::crawler::wire {
using namespace mse_bytes;

MseInitiator::MseInitiator(const InfoHashV1& skey, EncryptionPolicy policy,
                           const RandomBytes& random, std::string initial_payload,
                           MseOptions options)
    : skey_(skey),
      policy_(policy),
      initial_payload_(std::move(initial_payload)),
      dh_(options.dh_group ? DhKeyExchange(random_dh_private_key(random), *options.dh_group)
                           : DhKeyExchange(random_dh_private_key(random))),
      pad_a_(random_pad(random, options.max_pad < kMsePadMax ? options.max_pad : kMsePadMax)) {
  assert(initial_payload_.size() <= kMseMaxInitialPayload);
}

std::string MseInitiator::start() {
  assert(state_ == State::kStart);
  state_ = State::kReadKey;
  std::string out(as_chars(dh_.public_key()));
  out += pad_a_;
  return out;
}

MseStep MseInitiator::fail(std::error_code code, std::string to_send) {
  status_ = MseStatus::kFailed;
  state_ = State::kEnd;
  error_ = Error(code, consumed_);
  buffer_.clear();
  return {status_, std::move(to_send)};
}

void MseInitiator::consume(std::size_t n) {
  buffer_.erase(0, n);
  consumed_ += n;
}

// HASH('req1', S), HASH('req2', SKEY) xor HASH('req3', S),
// ENCRYPT(VC, crypto_provide, len(PadC), PadC, len(IA)), ENCRYPT(IA).
std::string MseInitiator::step3(const DhKey& secret) {
  std::string out;
  out.reserve(2 * kMseHashSize + kMseVcSize + kMseCryptoFieldSize + 2 * kMseLengthSize +
              initial_payload_.size());
  out += mse_req1_hash(secret).view();
  out += (mse_req2_hash(skey_) ^ mse_req3_hash(secret)).view();
  const std::size_t encrypted_from = out.size();
  out.append(kMseVcSize, '\0');
  put_u32(out, crypto_provide(policy_));
  put_u16(out, 0);  // PadC: empty, as the spec advises ("reserved for future use")
  put_u16(out, initial_payload_.size());
  out += initial_payload_;
  send_->apply(range(out, encrypted_from, out.size() - encrypted_from));
  return out;
}

MseStep MseInitiator::feed(std::string_view received) {
  assert(state_ != State::kStart);
  if (status_ != MseStatus::kNeedMore) return {status_, {}};
  buffer_.append(received);
  std::string to_send;
  for (;;) {
    switch (state_) {
      case State::kStart:
      case State::kEnd:
        return {status_, std::move(to_send)};

      case State::kReadKey: {
        if (buffer_.size() < kDhKeySize) return {status_, std::move(to_send)};
        const Result<DhKey> secret = dh_.shared_secret(as_bytes(buffer_).first<kDhKeySize>());
        if (!secret) return fail(secret.error().code, std::move(to_send));
        consume(kDhKeySize);
        secret_has_leading_zero_ = (*secret)[0] == 0;
        send_ = mse_initiator_rc4(*secret, skey_);
        receive_ = mse_responder_rc4(*secret, skey_);
        to_send += step3(*secret);
        // The responder's step 4 starts with ENCRYPT(VC): 8 keystream bytes we
        // can compute now. Generating them also moves our receive stream past VC.
        expected_vc_.assign(kMseVcSize, '\0');
        receive_->apply(range(expected_vc_, 0, kMseVcSize));
        state_ = State::kSyncVc;
        break;
      }

      case State::kSyncVc: {
        const std::string_view window =
            std::string_view(buffer_).substr(0, kMseInitiatorSyncWindow);
        const std::size_t at = window.find(expected_vc_);
        if (at == std::string_view::npos) {
          if (buffer_.size() >= kMseInitiatorSyncWindow) {
            return fail(MseErrc::kSyncNotFound, std::move(to_send));
          }
          return {status_, std::move(to_send)};
        }
        consume(at + kMseVcSize);
        state_ = State::kReadSelect;
        break;
      }

      case State::kReadSelect: {
        constexpr std::size_t kSize = kMseCryptoFieldSize + kMseLengthSize;
        if (buffer_.size() < kSize) return {status_, std::move(to_send)};
        receive_->apply(range(buffer_, 0, kSize));
        const std::optional<CryptoMethod> method = accept_crypto_select(get_u32(buffer_), policy_);
        if (!method) return fail(MseErrc::kInvalidCryptoSelect, std::move(to_send));
        pad_d_size_ = get_u16(std::string_view(buffer_).substr(kMseCryptoFieldSize));
        if (pad_d_size_ > kMsePadMax) return fail(MseErrc::kPadTooLong, std::move(to_send));
        selected_ = *method;
        consume(kSize);
        state_ = State::kReadPadD;
        break;
      }

      case State::kReadPadD: {
        if (buffer_.size() < pad_d_size_) return {status_, std::move(to_send)};
        receive_->apply(range(buffer_, 0, pad_d_size_));
        consume(pad_d_size_);
        outcome_.method = selected_;
        outcome_.skey = skey_;
        if (selected_ == CryptoMethod::kRc4) outcome_.cipher = MseCipher(*send_, *receive_);
        send_.reset();
        receive_.reset();
        // Whatever follows PadD is the payload stream (ENCRYPT2).
        outcome_.payload = std::move(buffer_);
        buffer_.clear();
        outcome_.cipher.decrypt(std::span<char>(outcome_.payload));
        status_ = MseStatus::kDone;
        state_ = State::kEnd;
        return {status_, std::move(to_send)};
      }
    }
  }
}

}  // namespace magnetar::crawler::wire
