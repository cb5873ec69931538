#include "storage/write_batch.h"

#include <boost/json.hpp>

namespace tailor::storage {

namespace json = boost::json;

namespace {
// Stored documents leave out what the store keeps in columns.
std::string DocWithoutTimes(json::object doc) {
  doc.erase("created_at");
  doc.erase("updated_at");
  return json::serialize(doc);
}
}  // namespace

void WriteBatch::PutUser(const domain::User& user) {
  ops_.push_back(PutDoc{true, user.id, DocWithoutTimes(domain::UserToJson(user)),
                        absl::ToUnixMicros(user.updated_at)});
}

void WriteBatch::DeleteUser(std::string id) { ops_.push_back(DeleteDoc{true, std::move(id)}); }

void WriteBatch::PutItem(const domain::Item& item) {
  ops_.push_back(PutDoc{false, item.id, DocWithoutTimes(domain::ItemToJson(item)),
                        absl::ToUnixMicros(item.updated_at)});
}

void WriteBatch::DeleteItem(std::string id) { ops_.push_back(DeleteDoc{false, std::move(id)}); }

void WriteBatch::AppendEvents(std::vector<domain::Event> events) {
  Append append;
  append.events.reserve(events.size());
  for (domain::Event& e : events) {
    std::string context = e.context.empty() ? std::string() : json::serialize(e.context);
    append.events.push_back({std::move(e), std::move(context)});
  }
  event_count_ += append.events.size();
  ops_.push_back(std::move(append));
}

void WriteBatch::PutRecord(std::string collection, std::string id, std::string doc,
                           absl::Time at) {
  ops_.push_back(WriteBatch::PutRecordOp{std::move(collection), std::move(id), std::move(doc),
                                       absl::ToUnixMicros(at)});
}

void WriteBatch::DeleteRecord(std::string collection, std::string id) {
  ops_.push_back(WriteBatch::DeleteRecordOp{std::move(collection), std::move(id)});
}

void WriteBatch::PutRecordIf(std::string collection, std::string id, std::string doc,
                             absl::Time at, int64_t expected_version) {
  ops_.push_back(WriteBatch::PutRecordOp{std::move(collection), std::move(id), std::move(doc),
                                         absl::ToUnixMicros(at), expected_version});
}

void WriteBatch::DeleteRecordIf(std::string collection, std::string id, int64_t expected_version) {
  ops_.push_back(
      WriteBatch::DeleteRecordOp{std::move(collection), std::move(id), expected_version});
}

void WriteBatch::Add(Op op) {
  if (const auto* append = std::get_if<Append>(&op)) event_count_ += append->events.size();
  ops_.push_back(std::move(op));
}

}  // namespace tailor::storage
