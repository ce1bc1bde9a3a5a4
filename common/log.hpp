// Logging: spdlog to stderr, one line per event, level from config.
#pragma once

#include <spdlog/spdlog.h>

#include <memory>
#include <string>
#include <string_view>

namespace magnetar {

// Sets the process-wide default logger's level ("trace" .. "critical", "off")
// and line format. Throws ConfigError on an unknown level.
void init_logging(std::string_view level);

// A named logger ("crawler", "indexer"), sharing the default sink.
std::shared_ptr<spdlog::logger> logger(const std::string& name);

}  // namespace magnetar
