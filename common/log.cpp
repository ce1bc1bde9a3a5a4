#include "common/log.hpp"

#include <spdlog/sinks/stdout_color_sinks.h>

#include "common/config.hpp"

namespace magnetar {

void init_logging(std::string_view level) {
  const auto parsed = spdlog::level::from_str(std::string(level));
  if (parsed == spdlog::level::off && level != "off") {
    throw ConfigError(
        "log.level: expected trace, debug, info, warn, error, critical or off, got '" +
        std::string(level) + "'");
  }
  spdlog::set_level(parsed);
  spdlog::set_pattern("%Y-%m-%dT%H:%M:%S.%e %^%-5l%$ [%n] %v");
}

std::shared_ptr<spdlog::logger> logger(const std::string& name) {
  if (auto existing = spdlog::get(name)) return existing;
  auto sink = spdlog::default_logger()->sinks();
  auto created = std::make_shared<spdlog::logger>(name, sink.begin(), sink.end());
  created->set_level(spdlog::get_level());
  try {
    spdlog::register_logger(created);
  } catch (const spdlog::spdlog_ex&) {
    // Another thread registered the name between get() and here: use its.
    if (auto existing = spdlog::get(name)) return existing;
    throw;
  }
  return created;
}

}  // namespace magnetar
