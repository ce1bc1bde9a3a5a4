// Differential test: our decoder against libtorrent's lt::bdecode on a few
// thousand generated and mutated inputs.
//
// Where we deliberately differ, written down before the test:
//  1. Trailing data. lt::bdecode decodes the first value and ignores what
//     follows ("i1ei2e" is 1). decode() rejects it (kTrailingData): an info
//     dict with bytes after it is not the info dict its hash names.
//     decode_prefix() behaves like lt::bdecode.
//  2. Integer overflow. lt::bdecode accepts "i99999999999999999999e" and only
//     int_value() fails later; we reject it (kIntegerOverflow) at decode.
//  3. Non-canonical forms. lt::bdecode accepts duplicate keys, unsorted keys,
//     "i03e", "i-0e", "03:abc". So does our lenient mode (reporting them on
//     the Document); our strict mode rejects exactly those inputs.
// Nothing else may differ: every input one side accepts, the other accepts
// with the same structure; error offsets and messages are not compared.
#include <gtest/gtest.h>

#include <libtorrent/bdecode.hpp>
#include <random>

#include "common/bencode_decoder.hpp"
#include "common/bencode_encoder.hpp"
#include "tests/common/random_bencode.hpp"

namespace magnetar::bencode {
namespace {

// libtorrent's view of a value, converted to ours; false if an integer
// overflowed (lt::bdecode defers that check to int_value()).
bool lt_to_value(const lt::bdecode_node& n, Value& out) {
  switch (n.type()) {
    case lt::bdecode_node::int_t: {
      const auto text = n.data_section();
      if (!decode(std::string_view(text.data(), text.size())).ok()) return false;
      out = Value(n.int_value());
      return true;
    }
    case lt::bdecode_node::string_t:
      out = Value(std::string(n.string_value()));
      return true;
    case lt::bdecode_node::list_t: {
      List l(static_cast<std::size_t>(n.list_size()));
      for (int i = 0; i < n.list_size(); ++i) {
        if (!lt_to_value(n.list_at(i), l[static_cast<std::size_t>(i)])) return false;
      }
      out = Value(std::move(l));
      return true;
    }
    case lt::bdecode_node::dict_t: {
      Dict d;
      for (int i = 0; i < n.dict_size(); ++i) {
        auto [key, child] = n.dict_at(i);
        Value item;
        if (!lt_to_value(child, item)) return false;
        d.emplace(std::string(key), std::move(item));  // the first of duplicates wins
      }
      out = Value(std::move(d));
      return true;
    }
    default:
      return false;
  }
}

// Byte-level mutations that reach every corner of the grammar.
std::string mutate(std::mt19937_64& rng, std::string s) {
  static constexpr std::string_view kAlphabet = "0123456789ilde:-x";
  const auto pick = [&](std::size_t n) { return n == 0 ? 0 : rng() % n; };
  switch (rng() % 9) {
    case 0:  // replace a byte
      if (!s.empty()) s[pick(s.size())] = kAlphabet[pick(kAlphabet.size())];
      break;
    case 1:  // delete a byte
      if (!s.empty()) s.erase(pick(s.size()), 1);
      break;
    case 2:  // insert a byte
      s.insert(pick(s.size() + 1), 1, kAlphabet[pick(kAlphabet.size())]);
      break;
    case 3:  // truncate
      s.resize(pick(s.size() + 1));
      break;
    case 4:  // trailing data
      s += kAlphabet[pick(kAlphabet.size())];
      break;
    case 5: {  // leading zero in an integer or a string length
      auto at = s.find_first_of("i0123456789", pick(s.size()));
      if (at == std::string::npos) break;
      s.insert(s[at] == 'i' ? at + 1 : at, "0");
      break;
    }
    case 6: {  // negative zero
      auto at = s.find("i0e");
      if (at != std::string::npos) s.replace(at, 3, "i-0e");
      break;
    }
    case 7: {  // an integer too large for 64 bits
      auto at = s.find('i');
      if (at != std::string::npos) s.insert(at + 1, "99999999999999999999");
      break;
    }
    default:  // two mutations
      s = mutate(rng, mutate(rng, std::move(s)));
  }
  return s;
}

// A dict whose keys are written in an order of our choosing (unsorted, duplicated).
std::string raw_dict(std::mt19937_64& rng) {
  std::string out = "d";
  const std::string keys[] = {"b", "a", "a", "c"};
  for (const auto& k : keys) {
    if (rng() % 2) out += std::to_string(k.size()) + ":" + k + "i1e";
  }
  return out + "e";
}

struct Tally {
  int both_ok = 0, both_rejected = 0, trailing = 0, overflow = 0, irregular = 0;
};

void compare(const std::string& input, Tally& tally) {
  lt::error_code ec;
  int lt_pos = -1;
  auto lt_node = lt::bdecode(lt::span<const char>(input.data(), static_cast<int>(input.size())), ec,
                             &lt_pos, 100, 2'000'000);
  const auto ours = decode(input);
  const auto strict = decode(input, Mode::kStrict);

  if (ec) {
    EXPECT_FALSE(ours.ok()) << "only we accept: " << ::testing::PrintToString(input);
    EXPECT_FALSE(strict.ok());
    ++tally.both_rejected;
    return;
  }
  const std::size_t lt_len = lt_node.data_section().size();
  if (!ours.ok()) {
    const auto code = ours.error().code;
    if (code == make_error_code(Errc::kTrailingData)) {
      // Difference 1: lt took a prefix; decode_prefix agrees with it.
      EXPECT_LT(lt_len, input.size());
      auto prefix = decode_prefix(input);
      ASSERT_TRUE(prefix.ok()) << ::testing::PrintToString(input);
      EXPECT_EQ(prefix->input().size(), lt_len);
      ++tally.trailing;
    } else if (code == make_error_code(Errc::kIntegerOverflow)) {
      // Difference 2: lt defers integer overflow to int_value().
      Value ignored;
      EXPECT_FALSE(lt_to_value(lt_node, ignored));
      ++tally.overflow;
    } else {
      ADD_FAILURE() << "only libtorrent accepts: " << ::testing::PrintToString(input) << " ("
                    << ours.error().message() << ")";
    }
    return;
  }
  // Both accept: same length, same structure.
  EXPECT_EQ(lt_len, input.size());
  Value lt_value;
  ASSERT_TRUE(lt_to_value(lt_node, lt_value));
  EXPECT_EQ(to_value(ours->root()), lt_value) << ::testing::PrintToString(input);
  // Difference 3: strict mode rejects exactly the non-canonical inputs.
  EXPECT_EQ(strict.ok(), ours->canonical()) << ::testing::PrintToString(input);
  if (!ours->canonical()) ++tally.irregular;
  ++tally.both_ok;
}

TEST(BencodeDifferential, AgreesWithLibtorrentExceptWhereDocumented) {
  std::mt19937_64 rng(0x6d61676e);
  Tally tally;
  constexpr int kInputs = 6000;
  for (int i = 0; i < kInputs; ++i) {
    std::string input = (i % 10 == 0) ? raw_dict(rng) : encode(testing::random_value(rng, 3));
    if (i % 3 != 0) input = mutate(rng, std::move(input));
    compare(input, tally);
  }
  // Every documented difference was actually exercised, and plenty of agreement.
  EXPECT_GT(tally.trailing, 50);
  EXPECT_GT(tally.overflow, 50);
  EXPECT_GT(tally.irregular, 50);
  EXPECT_GT(tally.both_ok, 2000);
  EXPECT_GT(tally.both_rejected, 500);
  std::printf("both ok %d, both rejected %d, trailing %d, overflow %d, non-canonical %d\n",
              tally.both_ok, tally.both_rejected, tally.trailing, tally.overflow, tally.irregular);
}

TEST(BencodeDifferential, DocumentedDifferencesOnFixedInputs) {
  Tally tally;
  for (const char* input : {"i1ei2e", "le1", "i99999999999999999999e", "i03e", "i-0e", "03:abc",
                            "d1:ai1e1:ai2ee", "d1:bi1e1:ai2ee", "d1:ae", "ie", "4:spa"}) {
    compare(input, tally);
  }
  EXPECT_EQ(tally.trailing, 2);
  EXPECT_EQ(tally.overflow, 1);
  EXPECT_EQ(tally.irregular, 5);
  EXPECT_EQ(tally.both_rejected, 3);
}

}  // namespace
}  // namespace magnetar::bencode
