#include "common/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <sstream>

namespace magnetar {
namespace {

std::string toml_scalar(const toml::node& node, std::string_view key, std::string_view origin) {
  if (auto s = node.as_string()) return s->get();
  if (auto i = node.as_integer()) return std::to_string(i->get());
  if (auto b = node.as_boolean()) return b->get() ? "true" : "false";
  if (auto f = node.as_floating_point()) {
    std::ostringstream out;
    out << f->get();
    return out.str();
  }
  throw ConfigError(std::string(origin) + ": " + std::string(key) +
                    ": expected a string, number, boolean or array of them");
}

}  // namespace

Config::Config(std::vector<Setting> settings) : settings_(std::move(settings)) {
  for (const auto& s : settings_) values_[s.key] = Entry{s.default_value, "default"};
}

std::string Config::env_name(std::string_view key) {
  std::string out = "MAGNETAR_";
  for (char c : key) out += c == '.' || c == '-' ? '_' : static_cast<char>(std::toupper(c));
  return out;
}

std::string Config::flag_name(std::string_view key) {
  std::string out(key);
  std::replace(out.begin(), out.end(), '.', '-');
  std::replace(out.begin(), out.end(), '_', '-');
  return out;
}

Config::Entry& Config::entry(std::string_view key, std::string_view context) {
  auto it = values_.find(key);
  if (it == values_.end()) {
    throw ConfigError(std::string(context) + ": unknown setting '" + std::string(key) + "'");
  }
  return it->second;
}

const Config::Entry& Config::entry(std::string_view key) const {
  auto it = values_.find(key);
  // Asking for an undeclared setting is a bug in the program, not in the config.
  if (it == values_.end()) throw std::logic_error("undeclared setting " + std::string(key));
  return it->second;
}

void Config::load_file(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw ConfigError("cannot read config file " + file.string());
  std::stringstream buffer;
  buffer << in.rdbuf();
  load_toml(buffer.str(), "config file " + file.string());
}

void Config::load_toml(std::string_view text, std::string_view origin) {
  toml::table table;
  try {
    table = toml::parse(text, origin);
  } catch (const toml::parse_error& e) {
    const auto& at = e.source().begin;
    throw ConfigError(std::string(origin) + ":" + std::to_string(at.line) + ":" +
                      std::to_string(at.column) + ": " + std::string(e.description()));
  }
  // Flatten nested tables into dotted keys.
  std::function<void(const toml::table&, const std::string&)> walk =
      [&](const toml::table& t, const std::string& prefix) {
        for (const auto& [k, node] : t) {
          const std::string key =
              prefix.empty() ? std::string(k.str()) : prefix + "." + std::string(k.str());
          if (auto sub = node.as_table()) {
            walk(*sub, key);
            continue;
          }
          std::string value;
          if (auto array = node.as_array()) {
            for (const auto& item : *array) {
              if (!value.empty()) value += ',';
              value += toml_scalar(item, key, origin);
            }
          } else {
            value = toml_scalar(node, key, origin);
          }
          const auto line = node.source().begin.line;
          entry(key, std::string(origin) + ":" + std::to_string(line)) =
              Entry{std::move(value), std::string(origin)};
        }
      };
  walk(table, "");
}

void Config::load_env(const GetEnv& getenv) {
  for (const auto& s : settings_) {
    const auto name = env_name(s.key);
    if (const char* v = getenv(name.c_str())) values_[s.key] = Entry{v, "env " + name};
  }
}

void Config::set_flag(std::string_view key, std::string value) {
  const std::string origin = "flag --" + flag_name(key);
  entry(key, origin) = Entry{std::move(value), origin};
}

const std::string& Config::get(std::string_view key) const { return entry(key).value; }

const std::string& Config::origin(std::string_view key) const { return entry(key).origin; }

void Config::bad_value(std::string_view key, std::string_view expected) const {
  const auto& e = entry(key);
  throw ConfigError(std::string(key) + " (" + e.origin + "): expected " + std::string(expected) +
                    ", got '" + e.value + "'");
}

std::int64_t Config::get_int(std::string_view key) const {
  const auto& v = get(key);
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) bad_value(key, "an integer");
  return out;
}

double Config::get_double(std::string_view key) const {
  const auto& v = get(key);
  double out = 0;
  auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
  if (ec != std::errc() || end != v.data() + v.size() || v.empty()) bad_value(key, "a number");
  return out;
}

bool Config::get_bool(std::string_view key) const {
  std::string v = get(key);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  if (v == "true" || v == "1" || v == "yes" || v == "on") return true;
  if (v == "false" || v == "0" || v == "no" || v == "off") return false;
  bad_value(key, "true or false");
}

std::vector<std::string> Config::get_list(std::string_view key) const {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in(get(key));
  while (std::getline(in, item, ',')) {
    auto first = item.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    auto last = item.find_last_not_of(" \t");
    out.push_back(item.substr(first, last - first + 1));
  }
  return out;
}

}  // namespace magnetar
