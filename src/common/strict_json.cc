#include "common/strict_json.h"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/value_stack.hpp>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"

namespace tailor {

namespace json = boost::json;

namespace {

using json::error_code;
using json::string_view;

// boost::json's own value-building handler (detail/handler.hpp), plus a set
// of the keys seen in each open object.
class StrictHandler {
 public:
  static constexpr std::size_t max_array_size = -1;
  static constexpr std::size_t max_object_size = -1;
  static constexpr std::size_t max_string_size = -1;
  static constexpr std::size_t max_key_size = -1;

  json::value_stack st;
  bool found_duplicate = false;
  std::string duplicate;  // the duplicate key, when parsing stopped on it

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_object_begin(error_code&) {
    if (open_ == keys_.size()) {
      keys_.emplace_back();
    } else {
      keys_[open_].clear();
    }
    ++open_;
    return true;
  }
  bool on_object_end(std::size_t n, error_code&) {
    --open_;
    st.push_object(n);
    return true;
  }
  bool on_array_begin(error_code&) { return true; }
  bool on_array_end(std::size_t n, error_code&) {
    st.push_array(n);
    return true;
  }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    key_.append(s.data(), s.size());
    st.push_chars(s);
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    key_.append(s.data(), s.size());
    if (!keys_[open_ - 1].insert(key_).second) {
      found_duplicate = true;
      duplicate = std::move(key_);
      ec = json::error::syntax;
      return false;
    }
    key_.clear();
    st.push_key(s);
    return true;
  }
  bool on_string_part(string_view s, std::size_t, error_code&) {
    st.push_chars(s);
    return true;
  }
  bool on_string(string_view s, std::size_t, error_code&) {
    st.push_string(s);
    return true;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t i, string_view, error_code&) {
    st.push_int64(i);
    return true;
  }
  bool on_uint64(std::uint64_t u, string_view, error_code&) {
    st.push_uint64(u);
    return true;
  }
  bool on_double(double d, string_view, error_code&) {
    st.push_double(d);
    return true;
  }
  bool on_bool(bool b, error_code&) {
    st.push_bool(b);
    return true;
  }
  bool on_null(error_code&) {
    st.push_null();
    return true;
  }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }

 private:
  std::vector<absl::flat_hash_set<std::string>> keys_;  // [depth] for open objects
  size_t open_ = 0;
  std::string key_;
};

}  // namespace

absl::StatusOr<json::value> ParseStrictJson(std::string_view text, StrictJsonOptions options) {
  json::parse_options parse_options;
  parse_options.max_depth = options.max_depth;
  json::basic_parser<StrictHandler> parser(parse_options);
  parser.handler().st.reset();
  error_code ec;
  size_t used = parser.write_some(false, text.data(), text.size(), ec);
  if (parser.handler().found_duplicate) {
    return absl::InvalidArgumentError("duplicate key \"" + parser.handler().duplicate + "\"");
  }
  if (ec) return absl::InvalidArgumentError("malformed JSON: " + ec.message());
  if (used != text.size()) {
    return absl::InvalidArgumentError("malformed JSON: text after the JSON value");
  }
  return parser.handler().st.release();
}

}  // namespace tailor
