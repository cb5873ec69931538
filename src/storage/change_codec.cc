#include "storage/change_codec.h"

#include <boost/json.hpp>
#include <variant>

#include "common/json_text.h"

namespace tailor::storage {

namespace json = boost::json;

namespace {

// JSON text of `s` (quoted, escaped), appended to `out`.
void AppendString(std::string_view s, std::string& out) {
  out += json::serialize(json::string_view(s.data(), s.size()));
}

// Written directly (no intermediate JSON values): the store's writer thread
// encodes every event it commits.
void AppendEvent(const WriteBatch::StoredEvent& se, std::string& out) {
  const domain::Event& e = se.event;
  out += "{\"seq\":";
  out += std::to_string(e.seq);
  out += ",\"user_id\":";
  AppendString(e.user_id, out);
  out += ",\"type\":";
  AppendString(e.type, out);
  out += ",\"ts\":";
  out += std::to_string(absl::ToUnixMicros(e.timestamp));
  if (!e.event_id.empty()) {
    out += ",\"event_id\":";
    AppendString(e.event_id, out);
  }
  if (!e.item_id.empty()) {
    out += ",\"item_id\":";
    AppendString(e.item_id, out);
  }
  if (e.value) {
    out += ",\"value\":";
    AppendJsonNumber(*e.value, out);
  }
  if (!e.text.empty()) {
    out += ",\"text\":";
    AppendString(e.text, out);
  }
  if (!se.context_json.empty()) {
    out += ",\"context\":";
    AppendString(se.context_json, out);
  }
  out += '}';
}

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string();
}

int64_t Int(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  if (v == nullptr) return 0;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  return 0;
}

std::optional<int64_t> OptInt(const json::object& o, std::string_view key) {
  if (!o.contains(key)) return std::nullopt;
  return Int(o, key);
}

absl::StatusOr<WriteBatch::StoredEvent> DecodeEvent(const json::value& v) {
  if (!v.is_object()) return absl::DataLossError("change: event is not an object");
  const json::object& o = v.get_object();
  WriteBatch::StoredEvent se;
  domain::Event& e = se.event;
  e.seq = Int(o, "seq");
  e.event_id = Str(o, "event_id");
  e.user_id = Str(o, "user_id");
  e.item_id = Str(o, "item_id");
  e.type = Str(o, "type");
  e.timestamp = absl::FromUnixMicros(Int(o, "ts"));
  if (const json::value* value = o.if_contains("value"); value != nullptr && value->is_number()) {
    e.value = value->to_number<double>();
  }
  e.text = Str(o, "text");
  se.context_json = Str(o, "context");
  if (!se.context_json.empty()) {
    boost::system::error_code ec;
    json::value ctx = json::parse(se.context_json, ec);
    if (!ec && ctx.is_object()) e.context = std::move(ctx.get_object());
  }
  return se;
}

}  // namespace

std::string EncodeChange(const WriteBatch& batch) {
  std::string out = "[";
  for (const WriteBatch::Op& op : batch.ops()) {
    if (out.size() > 1) out += ',';
    if (const auto* append = std::get_if<WriteBatch::Append>(&op)) {
      out += "{\"op\":\"events\",\"events\":[";
      for (size_t i = 0; i < append->events.size(); ++i) {
        if (i > 0) out += ',';
        AppendEvent(append->events[i], out);
      }
      out += "]}";
    } else if (const auto* put = std::get_if<WriteBatch::PutDoc>(&op)) {
      out += json::serialize(json::object{{"op", put->is_user ? "put_user" : "put_item"},
                                          {"id", put->id}, {"doc", put->doc}, {"at", put->at_micros}});
    } else if (const auto* del = std::get_if<WriteBatch::DeleteDoc>(&op)) {
      out += json::serialize(json::object{{"op", del->is_user ? "delete_user" : "delete_item"},
                                          {"id", del->id}});
    } else if (const auto* rec = std::get_if<WriteBatch::PutRecordOp>(&op)) {
      json::object o{{"op", "put_record"}, {"collection", rec->collection}, {"id", rec->id},
                     {"doc", rec->doc},    {"at", rec->at_micros},         {"version", rec->version}};
      if (rec->expected_version) o["expected_version"] = *rec->expected_version;
      out += json::serialize(o);
    } else if (const auto* drec = std::get_if<WriteBatch::DeleteRecordOp>(&op)) {
      json::object o{{"op", "delete_record"}, {"collection", drec->collection}, {"id", drec->id}};
      if (drec->expected_version) o["expected_version"] = *drec->expected_version;
      out += json::serialize(o);
    }
  }
  out += ']';
  return out;
}

absl::StatusOr<WriteBatch> DecodeChange(std::string_view text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return absl::DataLossError("change: not a JSON array");
  WriteBatch batch;
  for (const json::value& opv : v.get_array()) {
    if (!opv.is_object()) return absl::DataLossError("change: op is not an object");
    const json::object& o = opv.get_object();
    const std::string op = Str(o, "op");
    if (op == "put_user" || op == "put_item") {
      batch.Add(WriteBatch::PutDoc{op == "put_user", Str(o, "id"), Str(o, "doc"), Int(o, "at")});
    } else if (op == "delete_user" || op == "delete_item") {
      batch.Add(WriteBatch::DeleteDoc{op == "delete_user", Str(o, "id")});
    } else if (op == "events") {
      const json::value* events = o.if_contains("events");
      if (events == nullptr || !events->is_array()) return absl::DataLossError("change: no events");
      WriteBatch::Append append;
      for (const json::value& ev : events->get_array()) {
        absl::StatusOr<WriteBatch::StoredEvent> se = DecodeEvent(ev);
        if (!se.ok()) return se.status();
        append.events.push_back(std::move(*se));
      }
      batch.Add(std::move(append));
    } else if (op == "put_record") {
      batch.Add(WriteBatch::PutRecordOp{Str(o, "collection"), Str(o, "id"), Str(o, "doc"),
                                        Int(o, "at"), OptInt(o, "expected_version"),
                                        Int(o, "version")});
    } else if (op == "delete_record") {
      batch.Add(WriteBatch::DeleteRecordOp{Str(o, "collection"), Str(o, "id"),
                                           OptInt(o, "expected_version")});
    } else {
      return absl::DataLossError("change: unknown op");
    }
  }
  return batch;
}

}  // namespace tailor::storage
