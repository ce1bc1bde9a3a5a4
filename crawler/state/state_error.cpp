#include "crawler/state/state_error.hpp"

namespace magnetar::crawler::state {

DataDirInUseError::DataDirInUseError(const std::filesystem::path& data_dir,
                                     const std::string& detail)
    : StateError("data_dir " + data_dir.string() +
                 " is in use by another magnetar process (stop it, or give this one its own "
                 "data_dir): " +
                 detail) {}

}  // namespace magnetar::crawler::state
