// Sizes as people type and read them: "1.5G" on the command line, "1.4 GiB"
// in a table.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace magnetar::app {

// A size with an optional unit, case ignored, blanks allowed between number
// and unit: "700", "700B", "1.5G", "1.5 GiB", "2TB". As in GNU coreutils, K M
// G T P and KiB MiB GiB TiB PiB are powers of 1024 (what torrent clients
// show), KB MB GB TB PB powers of 1000. The number may have a fraction; the
// result is rounded to whole bytes. Nothing for an empty or malformed text, a
// negative number, or more than INT64_MAX bytes.
std::optional<std::int64_t> parse_byte_size(std::string_view text);

// Binary units with one decimal: "512 B", "1.0 KiB", "7.5 GiB", "1.2 TiB".
// A negative count (never sent by the server) is shown as "-".
std::string format_byte_size(std::int64_t bytes);

}  // namespace magnetar::app
