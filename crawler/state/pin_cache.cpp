#include "crawler/state/pin_cache.hpp"

#include <rocksdb/db.h>

#include <memory>

#include "crawler/state/rocks_check.hpp"

namespace magnetar::crawler::state {
namespace {

rocksdb::Slice key_of(const InfoHashV1& id) {
  const auto v = id.view();
  return {v.data(), v.size()};
}

rocksdb::WriteOptions unsynced() {
  rocksdb::WriteOptions wo;
  wo.sync = false;  // see the header
  return wo;
}

}  // namespace

void PinCache::put(const InfoHashV1& id, std::string_view info_dict) {
  check(db_.Put(unsynced(), cf_, key_of(id), rocksdb::Slice(info_dict.data(), info_dict.size())),
        "pin cache write");
}

std::optional<std::string> PinCache::get(const InfoHashV1& id) const {
  std::string out;
  const auto s = db_.Get(rocksdb::ReadOptions(), cf_, key_of(id), &out);
  if (s.IsNotFound()) return std::nullopt;
  check(s, "pin cache read");
  return out;
}

void PinCache::remove(const InfoHashV1& id) {
  check(db_.Delete(unsynced(), cf_, key_of(id)), "pin cache delete");
}

std::size_t PinCache::scan(
    const std::function<bool(const InfoHashV1&, std::string_view)>& fn) const {
  std::unique_ptr<rocksdb::Iterator> it(db_.NewIterator(rocksdb::ReadOptions(), cf_));
  std::size_t visited = 0;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    auto id = InfoHashV1::from_bytes(it->key().ToStringView());
    if (!id) continue;  // never written by put()
    ++visited;
    if (!fn(*id, it->value().ToStringView())) break;
  }
  check(it->status(), "pin cache scan");
  return visited;
}

}  // namespace magnetar::crawler::state
