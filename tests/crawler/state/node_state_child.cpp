// A second process for node_state_test:
//   node_state_child append DATA_DIR N  appends N items (commit_fetch), then
//                                       kills itself with SIGKILL: no clean close
//   node_state_child open DATA_DIR      opens the state; exit 3 and the error
//                                       on stdout when the data_dir is in use
#include <csignal>
#include <cstdio>
#include <string>

#include "crawler/state/node_state.hpp"
#include "crawler/state/state_error.hpp"
#include "tests/crawler/state/state_test_items.hpp"

namespace state = magnetar::crawler::state;

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string mode = argv[1];
  state::NodeStateOptions options;
  options.data_dir = argv[2];
  try {
    state::NodeState node(options);
    if (mode == "append" && argc == 4) {
      const int n = std::stoi(argv[3]);
      for (int i = 0; i < n; ++i) {
        const auto item = magnetar::testing::state_item(i);
        auto seq = node.commit_fetch(item.id, item.info_dict, state::Source::kDhtSample,
                                     magnetar::testing::kStateItemTime);
        if (!seq) return 4;
      }
      std::raise(SIGKILL);
    }
    return mode == "open" ? 0 : 2;
  } catch (const state::DataDirInUseError& e) {
    std::printf("%s\n", e.what());
    return 3;
  } catch (const std::exception& e) {
    std::printf("%s\n", e.what());
    return 1;
  }
}
