#include "api/router.h"

#include <algorithm>

namespace tailor::api {

namespace {
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  size_t start = 1;  // paths start with '/'
  while (start <= path.size()) {
    size_t end = path.find('/', start);
    if (end == std::string_view::npos) end = path.size();
    out.push_back(path.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

bool PercentDecode(std::string_view in, std::string* out) {
  out->clear();
  out->reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '%') {
      out->push_back(in[i]);
      continue;
    }
    if (i + 2 >= in.size()) return false;
    int hi = HexValue(in[i + 1]);
    int lo = HexValue(in[i + 2]);
    if (hi < 0 || lo < 0) return false;
    out->push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return true;
}

bool ParseQuery(std::string_view query, std::map<std::string, std::string>* out) {
  size_t start = 0;
  while (start < query.size()) {
    size_t end = query.find('&', start);
    if (end == std::string_view::npos) end = query.size();
    std::string_view pair = query.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      std::string key, value;
      if (!PercentDecode(pair.substr(0, eq), &key)) return false;
      if (eq != std::string_view::npos) {
        std::string raw(pair.substr(eq + 1));
        std::replace(raw.begin(), raw.end(), '+', ' ');
        if (!PercentDecode(raw, &value)) return false;
      }
      (*out)[key] = value;
    }
    start = end + 1;
  }
  return true;
}

void Router::Add(std::string method, std::string pattern, Access access, RouteHandler handler) {
  Route route{std::move(method), std::move(pattern), access, std::move(handler), {}};
  for (std::string_view s : SplitPath(route.pattern)) route.segments.emplace_back(s);
  routes_.push_back(std::move(route));
}

RouteMatch Router::Match(std::string_view method, std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path[0] != '/') return result;
  std::vector<std::string_view> parts = SplitPath(path);
  for (const Route& route : routes_) {
    if (route.segments.size() != parts.size()) continue;
    std::map<std::string, std::string> params;
    bool ok = true;
    for (size_t i = 0; i < parts.size() && ok; ++i) {
      const std::string& seg = route.segments[i];
      if (seg.size() > 2 && seg.front() == '{' && seg.back() == '}') {
        std::string decoded;
        if (parts[i].empty()) {
          ok = false;
        } else if (!PercentDecode(parts[i], &decoded)) {
          result.bad_param = seg.substr(1, seg.size() - 2);
          ok = false;
        } else {
          params[seg.substr(1, seg.size() - 2)] = std::move(decoded);
        }
      } else {
        ok = seg == parts[i];
      }
    }
    if (!ok) continue;
    if (route.method == method) {
      result.outcome = RouteMatch::kFound;
      result.route = &route;
      result.params = std::move(params);
      return result;
    }
    result.outcome = RouteMatch::kMethodNotAllowed;
    result.allowed_methods.push_back(route.method);
  }
  return result;
}

}  // namespace tailor::api
