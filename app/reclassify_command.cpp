#include <iostream>
#include <optional>

#include "app/classifier_setup.hpp"
#include "app/command.hpp"
#include "app/database.hpp"
#include "common/progress.hpp"
#include "indexer/reclassify/reclassifier.hpp"
#include "indexer/store/pg_torrent_store.hpp"

namespace magnetar::app {

void add_reclassify_command(Commands& commands) {
  commands.add(
      "reclassify",
      "Re-run the current classifier and banned-content rules over the stored index, in "
      "batches, with progress (after changing classify.rules or classify.banned)",
      [](const Config& config) {
        try {
          const auto rules = load_rules(config);
          const auto banned_rules = load_banned(config);
          const indexer::classify::Classifier classifier(rules);
          const indexer::classify::BannedFilter banned(banned_rules);
          Database db(config);
          indexer::store::PgTorrentStore store(
              indexer::store::PgTorrentStoreOptions{.dsn = db.dsn()});
          indexer::reclassify::Reclassifier reclassifier(db.dsn(), classifier, banned, store);
          std::optional<Progress> progress;  // the total is known once the run counted the rows
          const auto stats = reclassifier.run([&](std::uint64_t done, std::uint64_t total) {
            if (!progress) progress.emplace("reclassify", total);
            progress->update(done);
          });
          if (progress) progress->finish();
          std::cout << "reclassified " << stats.scanned << " torrents: " << stats.changed
                    << " changed, " << stats.blocked << " blocked by the banned rules\n";
          return 0;
        } catch (const std::exception& e) {
          std::cerr << "magnetar reclassify: " << e.what() << "\n";
          return 1;
        }
      });
}

}  // namespace magnetar::app
