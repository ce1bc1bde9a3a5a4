#include "indexer/store/staged_row.hpp"

#include <algorithm>
#include <limits>

#include "indexer/store/file_list_codec.hpp"
#include "indexer/store/text_sanitizer.hpp"

namespace magnetar::indexer::store {
namespace {

std::int32_t clamp_int32(std::int64_t v) {
  return static_cast<std::int32_t>(
      std::clamp<std::int64_t>(v, 0, std::numeric_limits<std::int32_t>::max()));
}

std::string small_or_null(std::int16_t v) { return v == 0 ? std::string() : std::to_string(v); }

std::int64_t micros(std::chrono::system_clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string bytea_hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.resize(2 + bytes.size() * 2);
  out[0] = '\\';
  out[1] = 'x';
  char* p = out.data() + 2;
  for (unsigned char c : bytes) {
    *p++ = kDigits[c >> 4];
    *p++ = kDigits[c & 15];
  }
  return out;
}

std::size_t StagedRow::wire_size() const {
  return 160 + id_hex.size() + v2_hex.size() + name.size() + name_raw_hex.size() + title.size() +
         extensions.size() + files_hex.size() + info_hex.size();
}

StagedRow make_staged_row(const TorrentRecord& record, const StagedRowOptions& options) {
  StagedRow row;
  row.id = record.hashes.id();
  row.first_seen_us = row.last_seen_us = micros(record.seen_at);
  row.id_hex = bytea_hex(row.id.view());
  if (record.hashes.v2) row.v2_hex = bytea_hex(record.hashes.v2->view());
  row.total_size = std::max<std::int64_t>(record.total_size, 0);
  const std::int64_t count =
      record.files.empty() ? std::max<std::int64_t>(record.file_count, 1) : record.file_count;
  row.file_count = clamp_int32(std::max<std::int64_t>(count, record.files.size()));
  row.piece_length = clamp_int32(record.piece_length);
  row.source = static_cast<std::int16_t>(record.source);
  row.content_type = record.content_type;
  row.year = small_or_null(record.year);
  row.season = small_or_null(record.season);
  row.episode = small_or_null(record.episode);
  row.resolution = small_or_null(record.resolution);
  row.is_private = record.is_private;

  auto name = sanitize_text(record.name);
  row.name = std::move(name.text);
  if (name.changed) row.name_raw_hex = bytea_hex(record.name);
  if (!record.title.empty()) row.title = sanitize_text(record.title).text;

  const auto extensions = torrent_extensions(record);
  if (!extensions.empty()) {
    // Extensions are [a-z0-9]+: no quoting needed in the array literal.
    row.extensions.push_back('{');
    for (std::size_t i = 0; i < extensions.size(); ++i) {
      if (i) row.extensions.push_back(',');
      row.extensions.append(extensions[i]);
    }
    row.extensions.push_back('}');
  }
  if (!record.files.empty())
    row.files_hex = bytea_hex(encode_file_list(record.files, options.max_stored_files));

  const bool keep_info = record.raw_info && (options.raw_info_policy == RawInfoPolicy::kAll ||
                                             (options.raw_info_policy == RawInfoPolicy::kPinned &&
                                              (record.pinned || record.source == Source::kPin)));
  if (keep_info) row.info_hex = bytea_hex(*record.raw_info);
  return row;
}

}  // namespace magnetar::indexer::store
