// The shipped rules files, embedded into the library at build time by CMake
// (indexer/classify/CMakeLists.txt), so an installed binary needs no data files.
#pragma once

#include <string_view>

namespace magnetar::indexer::classify {

std::string_view embedded_default_rules();  // rules/default.toml
std::string_view embedded_banned_rules();   // rules/banned.toml

}  // namespace magnetar::indexer::classify
