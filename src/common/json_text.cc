#include "common/json_text.h"

#include <boost/json.hpp>
#include <charconv>
#include <cmath>
#include <string_view>

namespace tailor {

namespace json = boost::json;

namespace {

void Append(const json::value& v, std::string& out) {
  switch (v.kind()) {
    case json::kind::object: {
      out.push_back('{');
      bool first = true;
      for (const json::key_value_pair& kv : v.get_object()) {
        if (!first) out.push_back(',');
        first = false;
        out += json::serialize(kv.key());
        out.push_back(':');
        Append(kv.value(), out);
      }
      out.push_back('}');
      return;
    }
    case json::kind::array: {
      out.push_back('[');
      bool first = true;
      for (const json::value& e : v.get_array()) {
        if (!first) out.push_back(',');
        first = false;
        Append(e, out);
      }
      out.push_back(']');
      return;
    }
    case json::kind::double_:
      AppendJsonNumber(v.get_double(), out);
      return;
    default:  // string, int64, uint64, bool, null: Boost.JSON writes these plainly
      out += json::serialize(v);
      return;
  }
}

}  // namespace

void AppendJsonNumber(double x, std::string& out) {
  if (!std::isfinite(x)) {
    out += "null";
    return;
  }
  if (x == 0.0) {  // also -0
    out += "0.0";
    return;
  }
  // Fixed notation of a double needs at most 309 integer digits or, for the
  // smallest subnormal, about 770 fraction digits.
  char buf[800];
  std::to_chars_result r = std::to_chars(buf, buf + sizeof(buf), x, std::chars_format::fixed);
  out.append(buf, r.ptr);
  if (std::string_view(buf, r.ptr - buf).find('.') == std::string_view::npos) out += ".0";
}

std::string JsonText(const json::value& value) {
  std::string out;
  Append(value, out);
  return out;
}

}  // namespace tailor
