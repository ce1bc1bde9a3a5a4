// text[] columns (a pin's trackers, web seeds, peers) cross the wire as
// newline-joined text, both ways: `array_to_string(col, E'\n')` on reading,
// `string_to_array($1, E'\n')` on writing. Every element is validated to
// hold no control character, so '\n' cannot occur inside one.
#pragma once

#include <string>
#include <vector>

namespace pqxx {
class field;
}

namespace magnetar::indexer::store {

std::string join_lines(const std::vector<std::string>& items);
// The elements of join_lines' text; none for NULL or empty text.
std::vector<std::string> split_lines(const pqxx::field& f);

}  // namespace magnetar::indexer::store
