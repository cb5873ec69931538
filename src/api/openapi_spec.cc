#include "api/openapi_spec.h"

#include <yaml-cpp/yaml.h>

#include <boost/json.hpp>
#include <cctype>
#include <charconv>

#include "absl/strings/ascii.h"
#include "common/strings.h"

namespace tailor::api {

namespace json = boost::json;

extern const char kOpenApiYamlText[];  // generated from api/openapi.yaml

const std::string& OpenApiYaml() {
  static const std::string* text = new std::string(kOpenApiYamlText);
  return *text;
}

namespace {

json::value ScalarToJson(const YAML::Node& node) {
  const std::string& s = node.Scalar();
  if (node.Tag() == "!") return json::value(s);  // quoted: always a string
  if (s == "true") return true;
  if (s == "false") return false;
  if (s == "null" || s == "~") return nullptr;
  int64_t i;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), i);
  if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return i;
  if (!s.empty() && (std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '-')) {
    char* end = nullptr;
    double d = std::strtod(s.c_str(), &end);
    if (end == s.c_str() + s.size()) return d;
  }
  return json::value(s);
}

json::value YamlToJson(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map: {
      json::object obj;
      for (const auto& kv : node) obj[kv.first.Scalar()] = YamlToJson(kv.second);
      return obj;
    }
    case YAML::NodeType::Sequence: {
      json::array arr;
      for (const auto& item : node) arr.push_back(YamlToJson(item));
      return arr;
    }
    case YAML::NodeType::Scalar:
      return ScalarToJson(node);
    default:
      return nullptr;
  }
}

std::string HtmlEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '&':
        out += "&amp;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

std::string_view StringAt(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

}  // namespace

absl::StatusOr<json::value> OpenApiJson() {
  static const absl::StatusOr<json::value>* spec = [] {
    try {
      return new absl::StatusOr<json::value>(YamlToJson(YAML::Load(OpenApiYaml())));
    } catch (const YAML::Exception& e) {
      return new absl::StatusOr<json::value>(
          absl::InternalError(StrCat("api/openapi.yaml: ", e.what())));
    }
  }();
  return *spec;
}

absl::StatusOr<std::set<std::pair<std::string, std::string>>> OpenApiOperations() {
  absl::StatusOr<json::value> spec = OpenApiJson();
  if (!spec.ok()) return spec.status();
  std::set<std::pair<std::string, std::string>> out;
  const json::value* paths = spec->as_object().if_contains("paths");
  if (paths == nullptr || !paths->is_object()) return absl::InternalError("spec has no paths");
  for (const auto& [path, ops] : paths->get_object()) {
    if (!ops.is_object()) continue;
    for (const auto& [method, op] : ops.get_object()) {
      static const std::set<std::string> kMethods = {"get", "put", "post", "delete", "patch"};
      if (kMethods.count(std::string(method)) == 0) continue;
      out.emplace(absl::AsciiStrToUpper(std::string(method)), std::string(path));
    }
  }
  return out;
}

std::string RenderDocsPage(const json::value& spec) {
  std::string html =
      "<!doctype html><html><head><meta charset=\"utf-8\"><title>Tailor API</title><style>"
      "body{font-family:system-ui,sans-serif;max-width:960px;margin:2em auto;padding:0 1em;"
      "color:#222}h2{border-bottom:1px solid #ddd;padding-bottom:.2em}.op{margin:1em 0;"
      "padding:.6em 1em;border:1px solid #e3e3e3;border-radius:6px}.m{display:inline-block;"
      "min-width:4.5em;font-weight:bold}.GET{color:#0a6}.PUT{color:#a60}.POST{color:#06a}"
      ".DELETE{color:#c22}code{background:#f4f4f4;padding:0 .3em}table{border-collapse:collapse}"
      "td{padding:.1em .8em .1em 0;vertical-align:top}</style></head><body>";
  const json::object& root = spec.as_object();
  if (const json::value* info = root.if_contains("info"); info && info->is_object()) {
    html += StrCat("<h1>", HtmlEscape(StringAt(info->get_object(), "title")), " ",
                   HtmlEscape(StringAt(info->get_object(), "version")), "</h1><p>",
                   HtmlEscape(StringAt(info->get_object(), "description")), "</p>");
  }
  html += "<p>Machine-readable: <a href=\"/openapi.json\">/openapi.json</a> (OpenAPI 3.1).</p>";
  const json::value* paths = root.if_contains("paths");
  if (paths != nullptr && paths->is_object()) {
    for (const auto& [path, ops] : paths->get_object()) {
      if (!ops.is_object()) continue;
      for (const auto& [method, op] : ops.get_object()) {
        if (!op.is_object()) continue;
        std::string m = absl::AsciiStrToUpper(std::string(method));
        const json::object& o = op.get_object();
        html += StrCat("<div class=\"op\"><span class=\"m ", m, "\">", m, "</span><code>",
                       HtmlEscape(path), "</code> — ", HtmlEscape(StringAt(o, "summary")));
        if (auto d = StringAt(o, "description"); !d.empty()) {
          html += StrCat("<p>", HtmlEscape(d), "</p>");
        }
        if (const json::value* params = o.if_contains("parameters");
            params && params->is_array() && !params->get_array().empty()) {
          html += "<table>";
          for (const auto& p : params->get_array()) {
            if (!p.is_object()) continue;
            html += StrCat("<tr><td><code>", HtmlEscape(StringAt(p.get_object(), "name")),
                           "</code></td><td>", HtmlEscape(StringAt(p.get_object(), "in")),
                           "</td><td>", HtmlEscape(StringAt(p.get_object(), "description")),
                           "</td></tr>");
          }
          html += "</table>";
        }
        html += "</div>";
      }
    }
  }
  html += "</body></html>";
  return html;
}

}  // namespace tailor::api
