#include "app/classifier_setup.hpp"

#include <stdexcept>

namespace magnetar::app {
namespace {

namespace classify = indexer::classify;

template <class T>
T loaded_or_throw(classify::LoadResult<T> r, const char* what) {
  if (!r.ok()) throw std::runtime_error(std::string(what) + ": " + r.error().message());
  return std::move(r).value();
}

void added_or_throw(const classify::LoadStatus& status) {
  if (!status.ok()) throw std::runtime_error(status.error().message());
}

}  // namespace

classify::Rules load_rules(const Config& config) {
  auto rules = loaded_or_throw(classify::Rules::defaults(), "classifier rules");
  for (const auto& file : config.get_list("classify.rules")) added_or_throw(rules.add_file(file));
  return rules;
}

classify::BannedRules load_banned(const Config& config) {
  auto banned = loaded_or_throw(classify::BannedRules::defaults(), "banned rules");
  for (const auto& file : config.get_list("classify.banned")) added_or_throw(banned.add_file(file));
  return banned;
}

}  // namespace magnetar::app
