#include "models/recsys/params.h"

#include <cmath>

#include "absl/strings/str_cat.h"

namespace tailor::recsys {

const boost::json::value* ParamReader::Find(const std::string& key) {
  seen_.insert(key);
  return params_.if_contains(key);
}

double ParamReader::Double(const std::string& key, double fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_double()) return v->get_double();
  if (v->is_int64()) return static_cast<double>(v->get_int64());
  if (v->is_uint64()) return static_cast<double>(v->get_uint64());
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("param '", key, "' must be a number"));
  return fallback;
}

int64_t ParamReader::Int(const std::string& key, int64_t fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_int64()) return v->get_int64();
  if (v->is_uint64()) return static_cast<int64_t>(v->get_uint64());
  if (v->is_double() && std::floor(v->get_double()) == v->get_double()) {
    return static_cast<int64_t>(v->get_double());
  }
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("param '", key, "' must be an integer"));
  return fallback;
}

bool ParamReader::Bool(const std::string& key, bool fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_bool()) return v->get_bool();
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("param '", key, "' must be a boolean"));
  return fallback;
}

std::string ParamReader::String(const std::string& key, const std::string& fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_string()) return std::string(v->get_string());
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("param '", key, "' must be a string"));
  return fallback;
}

boost::json::array ParamReader::Array(const std::string& key, const boost::json::array& fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_array()) return v->get_array();
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("param '", key, "' must be an array"));
  return fallback;
}

boost::json::object ParamReader::Object(const std::string& key, const boost::json::object& fallback) {
  const boost::json::value* v = Find(key);
  if (v == nullptr) return fallback;
  if (v->is_object()) return v->get_object();
  if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrCat("param '", key, "' must be an object"));
  return fallback;
}

absl::Status ParamReader::Finish() {
  if (!status_.ok()) return status_;
  for (const auto& kv : params_) {
    if (!seen_.contains(std::string(kv.key()))) {
      return absl::InvalidArgumentError(absl::StrCat("unknown param '", std::string(kv.key()), "'"));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<boost::json::object> ParseParams(const std::string& text) {
  boost::system::error_code ec;
  boost::json::value v = boost::json::parse(text, ec);
  if (ec) return absl::InvalidArgumentError(absl::StrCat("params are not JSON: ", ec.message()));
  if (!v.is_object()) return absl::InvalidArgumentError("params must be a JSON object");
  return v.get_object();
}

}  // namespace tailor::recsys
