// Fresh databases for a benchmark run, on the PostgreSQL server the run is
// given (MAGNETAR_TEST_DSN of scripts/with-postgres or scripts/bench).
#pragma once

#include <string>

namespace magnetar::bench {

// Database `name` on the server of `server_dsn`, dropped first if a previous
// run left it, created empty and migrated; returns its DSN.
std::string create_bench_database(const std::string& server_dsn, const std::string& name);

// Drops database `name` (if it exists), closing its connections.
void drop_bench_database(const std::string& server_dsn, const std::string& name);

}  // namespace magnetar::bench
