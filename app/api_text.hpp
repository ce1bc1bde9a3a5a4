// How the CLI writes the public API's values for people and reads them from
// the command line: content type names, dates, counts, shell-quoted words.
#pragma once

#include <google/protobuf/timestamp.pb.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "magnetar/v1/magnetar.pb.h"

namespace magnetar::app {

// "movie" for CONTENT_TYPE_MOVIE: the enum name without its prefix, lower case.
std::string content_type_name(v1::ContentType type);
// The inverse, case ignored; nothing for an unknown name or "unspecified".
std::optional<v1::ContentType> content_type_from_name(std::string_view name);
// Every name content_type_from_name takes, in enum order.
std::vector<std::string> content_type_names();

// 1234567 -> "1,234,567".
std::string format_count(std::int64_t n);
// "~12,000" when estimated, else "12,000".
std::string format_count(const v1::Count& count);

// "2026-11-23" (UTC); "-" when the timestamp is unset (zero).
std::string format_date(const google::protobuf::Timestamp& t);
// "2026-11-23 00:36:50 UTC"; "-" when unset.
std::string format_time(const google::protobuf::Timestamp& t);
// "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ" (UTC) as a timestamp; nothing when
// malformed or out of range.
std::optional<google::protobuf::Timestamp> parse_date(std::string_view text);

// "1080" for "1080", "1080p" or "1080P"; 2160 for "4k"; nothing otherwise.
std::optional<int> parse_resolution(std::string_view text);

// The word as a POSIX shell would need it typed: as is when it holds only
// safe characters, else in single quotes (a quote inside as '\'').
std::string shell_quote(std::string_view word);

}  // namespace magnetar::app
