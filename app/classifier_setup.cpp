#include "app/classifier_setup.hpp"

#include <stdexcept>
#include <vector>

namespace magnetar::app {
namespace {

namespace classify = indexer::classify;

std::vector<std::filesystem::path> files(const Config& config, std::string_view key) {
  const auto names = config.get_list(key);
  return {names.begin(), names.end()};
}

template <class T>
T loaded_or_throw(classify::LoadResult<T> r) {
  if (!r.ok()) throw std::runtime_error(r.error().message());
  return std::move(r).value();
}

}  // namespace

classify::Rules load_rules(const Config& config) {
  return loaded_or_throw(classify::Rules::load(files(config, "classify.rules")));
}

classify::BannedRules load_banned(const Config& config) {
  return loaded_or_throw(classify::BannedRules::load(files(config, "classify.banned")));
}

}  // namespace magnetar::app
