// magnetar: a self-hosted BitTorrent DHT crawler and indexer. See README.md.
#include "app/cli.hpp"

int main(int argc, char** argv) { return magnetar::app::run_cli(argc, argv); }
