// Turning name bytes into display text: valid UTF-8, no control characters,
// release-name separators as spaces.
#pragma once

#include <string>
#include <string_view>

namespace magnetar::indexer::classify {

// Replaces each invalid UTF-8 sequence with U+FFFD and each control character
// (C0, DEL) with a space.
std::string sanitize_utf8(std::string_view bytes);

// "The.Matrix." -> "The Matrix"; "Some_Movie (" -> "Some Movie"; keeps "Vol.2.5"'s
// "2.5", hyphens inside words and balanced brackets.
std::string clean_title(std::string_view raw);

}  // namespace magnetar::indexer::classify
