# Every dependency is a Debian 12 package (scripts/install-deps); nothing is downloaded.
find_package(PkgConfig REQUIRED)
find_package(OpenSSL REQUIRED)            # SHA-1/SHA-256 (infohashes), later DH for MSE
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)      # logging
find_package(tomlplusplus CONFIG REQUIRED) # config files, classifier rules
find_package(CLI11 CONFIG REQUIRED)       # command line
find_package(Threads REQUIRED)
# libtorrent: the DHT in production, the testnet and the differential tests.
find_package(LibtorrentRasterbar CONFIG REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
find_package(GTest CONFIG REQUIRED)
