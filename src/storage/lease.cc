#include "storage/lease.h"

#include <boost/json.hpp>
#include <optional>

namespace tailor::storage {

namespace json = boost::json;

namespace {

struct Stored {
  LeaseInfo info;
  int64_t version = 0;  // 0: no record
};

absl::StatusOr<Stored> Load(Store& store, TenantId tenant, std::string_view name) {
  absl::StatusOr<Record> r = store.GetRecord(tenant, kLeasesCollection, name);
  if (absl::IsNotFound(r.status())) return Stored{};
  if (!r.ok()) return r.status();
  Stored out;
  out.version = r->version;
  boost::system::error_code ec;
  json::value v = json::parse(r->doc, ec);
  if (!ec && v.is_object()) {
    const json::object& o = v.get_object();
    if (const json::value* h = o.if_contains("holder"); h != nullptr && h->is_string()) {
      out.info.holder = std::string(h->get_string());
    }
    if (const json::value* e = o.if_contains("expires_at_us"); e != nullptr && e->is_int64()) {
      out.info.expires_at = absl::FromUnixMicros(e->get_int64());
    }
  }
  return out;  // an unreadable lease counts as expired (expires_at is the epoch)
}

}  // namespace

absl::StatusOr<bool> Leases::TryAcquire(TenantId tenant, std::string_view name,
                                        std::string_view holder, absl::Duration ttl) {
  absl::StatusOr<Stored> current = Load(store_, tenant, name);
  if (!current.ok()) return current.status();
  const absl::Time now = clock_.Now();
  if (current->version > 0 && current->info.holder != holder && current->info.expires_at > now) {
    return false;
  }
  WriteBatch batch;
  batch.PutRecordIf(kLeasesCollection, std::string(name),
                    json::serialize(json::object{{"holder", holder},
                                                 {"expires_at_us", absl::ToUnixMicros(now + ttl)}}),
                    now, current->version);
  absl::StatusOr<WriteResult> r = store_.WriteSync(tenant, std::move(batch));
  if (absl::IsAborted(r.status())) return false;  // another caller changed it first
  if (!r.ok()) return r.status();
  return true;
}

absl::Status Leases::Release(TenantId tenant, std::string_view name, std::string_view holder) {
  absl::StatusOr<Stored> current = Load(store_, tenant, name);
  if (!current.ok()) return current.status();
  if (current->version == 0 || current->info.holder != holder) return absl::OkStatus();
  WriteBatch batch;
  batch.DeleteRecordIf(kLeasesCollection, std::string(name), current->version);
  absl::StatusOr<WriteResult> r = store_.WriteSync(tenant, std::move(batch));
  if (absl::IsAborted(r.status())) return absl::OkStatus();  // no longer ours
  return r.status();
}

absl::StatusOr<LeaseInfo> Leases::Holder(TenantId tenant, std::string_view name) {
  absl::StatusOr<Stored> current = Load(store_, tenant, name);
  if (!current.ok()) return current.status();
  if (current->version == 0 || current->info.expires_at <= clock_.Now()) {
    return absl::NotFoundError("lease is free");
  }
  return current->info;
}

}  // namespace tailor::storage
