#include <iostream>
#include <libtorrent/version.hpp>
#include <pqxx/version>

#include "app/build_info.hpp"
#include "app/command.hpp"

namespace magnetar::app {

void add_version_command(Commands& commands) {
  commands.add("version", "Print the version of magnetar and of the libraries it uses",
               [](const Config&) {
                 std::cout << "magnetar " << kVersion << " (" << kBuildType << ")\n"
                           << "libtorrent-rasterbar " << lt::version() << "\n"
                           << "libpqxx " << PQXX_VERSION << "\n";
                 return 0;
               });
}

}  // namespace magnetar::app
