#include "app/settings.hpp"

namespace magnetar::app {

std::vector<Setting> all_settings() {
  return {
      {"data_dir", "./var", "directory for magnetar's state (embedded PostgreSQL, RocksDB)"},
      {"log.level", "info", "trace, debug, info, warn, error, critical or off"},
      {"db.dsn", "",
       "PostgreSQL connection string (libpq format); empty: an embedded cluster in data_dir"},
  };
}

}  // namespace magnetar::app
