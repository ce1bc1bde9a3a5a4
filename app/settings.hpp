// Every setting of magnetar, with its default and help: the one list that the
// config file, MAGNETAR_* variables and the flags are checked against.
#pragma once

#include <vector>

#include "common/config.hpp"

namespace magnetar::app {

std::vector<Setting> all_settings();

}  // namespace magnetar::app
