#include "common/bencode_encoder.hpp"

#include <charconv>

namespace magnetar::bencode {

Encoder& Encoder::integer(std::int64_t i) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, i);
  (void)ec;
  out_ += 'i';
  out_.append(buf, end);
  out_ += 'e';
  return *this;
}

Encoder& Encoder::string(std::string_view s) {
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, s.size());
  (void)ec;
  out_.append(buf, end);
  out_ += ':';
  out_ += s;
  return *this;
}

Encoder& Encoder::value(const Value& v) {
  struct Visit {
    Encoder& e;
    void operator()(std::int64_t i) { e.integer(i); }
    void operator()(const std::string& s) { e.string(s); }
    void operator()(const List& l) {
      e.list();
      for (const auto& item : l) e.value(item);
      e.end();
    }
    void operator()(const Dict& d) {
      e.dict();
      for (const auto& [k, item] : d) e.string(k).value(item);
      e.end();
    }
  };
  std::visit(Visit{*this}, v.v);
  return *this;
}

std::string encode(const Value& v) {
  std::string out;
  Encoder(out).value(v);
  return out;
}

Value to_value(const Node& node) {
  switch (node.type()) {
    case Type::kInteger:
      return Value(node.integer());
    case Type::kString:
      return Value(std::string(node.string()));
    case Type::kList: {
      List l;
      l.reserve(node.size());
      for (auto item : node.items()) l.push_back(to_value(item));
      return Value(std::move(l));
    }
    case Type::kDict: {
      Dict d;
      for (auto [k, item] : node.entries()) d.emplace(std::string(k), to_value(item));
      return Value(std::move(d));
    }
  }
  return Value();
}

}  // namespace magnetar::bencode
