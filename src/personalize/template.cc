#include "personalize/template.h"

#include <boost/json/serialize.hpp>
#include <map>
#include <optional>
#include <utility>

#include "common/strings.h"
#include "personalize/string_util.h"
#include "personalize/template_filters.h"
#include "personalize/template_parser.h"

namespace tailor::personalize {
namespace {

using boost::json::value;

std::string PosText(const SourcePos& p) { return StrCat(p.line, ":", p.column); }

bool Truthy(const value& v) {
  switch (v.kind()) {
    case boost::json::kind::null:
      return false;
    case boost::json::kind::bool_:
      return v.get_bool();
    case boost::json::kind::int64:
      return v.get_int64() != 0;
    case boost::json::kind::uint64:
      return v.get_uint64() != 0;
    case boost::json::kind::double_:
      return v.get_double() != 0.0;
    case boost::json::kind::string:
      return !v.get_string().empty();
    case boost::json::kind::array:
      return !v.get_array().empty();
    case boost::json::kind::object:
      return true;
  }
  return false;
}

// Follows `path` from `v`; objects by key, arrays by decimal index.
const value* Walk(const value* v, const std::vector<std::string>& path, size_t from) {
  for (size_t i = from; i < path.size() && v != nullptr; ++i) {
    if (v->is_object()) {
      v = v->get_object().if_contains(path[i]);
    } else if (v->is_array()) {
      int64_t idx;
      const auto& arr = v->get_array();
      v = ParseInt64(path[i], &idx) && idx >= 0 && static_cast<size_t>(idx) < arr.size()
              ? &arr[static_cast<size_t>(idx)]
              : nullptr;
    } else {
      v = nullptr;
    }
  }
  return v;
}

class Renderer {
 public:
  Renderer(const RenderOptions& options, Escaping escaping, FilterContext& filters,
           RenderStats* stats)
      : options_(options), escaping_(escaping), filters_(filters), stats_(stats) {}

  absl::Status RenderChildren(const TemplateNode& node, std::vector<const value*>& scopes);
  std::string TakeOutput() { return std::move(out_); }

 private:
  // Innermost scope whose object holds the first path segment (Mustache).
  const value* Lookup(const std::vector<std::string>& path,
                      const std::vector<const value*>& scopes) const {
    if (path.empty()) return scopes.back();
    for (auto it = scopes.rbegin(); it != scopes.rend(); ++it) {
      if ((*it)->is_object()) {
        if (const value* first = (*it)->get_object().if_contains(path[0])) {
          return Walk(first, path, 1);
        }
      }
    }
    return nullptr;
  }
  absl::Status Append(std::string_view text) {
    if (out_.size() + text.size() > options_.max_output_bytes) {
      return absl::ResourceExhaustedError(
          StrCat("rendered output over the limit of ", options_.max_output_bytes, " bytes"));
    }
    out_.append(text);
    return absl::OkStatus();
  }
  absl::Status Step() {
    if (++steps_ > options_.max_steps) {
      return absl::ResourceExhaustedError(
          StrCat("render needed more than ", options_.max_steps, " steps"));
    }
    return absl::OkStatus();
  }
  absl::Status RenderVariable(const TemplateNode& node, std::vector<const value*>& scopes);
  absl::Status RenderSection(const TemplateNode& node, std::vector<const value*>& scopes);

  // The list of a provider section, asked of the provider once per distinct
  // (name, arguments) in a render however often the section repeats (a
  // provider section nested in another would otherwise call it once per
  // outer element: n^depth calls, each possibly a model query).
  absl::StatusOr<const value*> Provided(const TemplateNode& node);

  const RenderOptions& options_;
  Escaping escaping_;
  FilterContext& filters_;
  RenderStats* stats_;
  std::string out_;
  size_t steps_ = 0;
  std::map<std::string, value> provided_;  // by name + '\0' + serialized arguments
};

absl::StatusOr<const value*> Renderer::Provided(const TemplateNode& node) {
  if (!options_.section_provider) {
    return absl::FailedPreconditionError(StrCat("section '", node.expr.path_text, "' at ",
                                                PosText(node.pos),
                                                " needs a section provider, none was given"));
  }
  std::string key =
      StrCat(node.expr.path_text, std::string_view("\0", 1), boost::json::serialize(node.args));
  auto it = provided_.find(key);
  if (it != provided_.end()) return &it->second;
  if (provided_.size() >= options_.max_provider_calls) {
    return absl::ResourceExhaustedError(
        StrCat("section '", node.expr.path_text, "' at ", PosText(node.pos), ": more than ",
               options_.max_provider_calls, " different provider sections in one template"));
  }
  absl::StatusOr<boost::json::array> list =
      options_.section_provider(node.expr.path_text, node.args);
  if (!list.ok()) return list.status();
  return &provided_.emplace(std::move(key), value(std::move(*list))).first->second;
}

absl::Status Renderer::RenderVariable(const TemplateNode& node, std::vector<const value*>& scopes) {
  const value* found = Lookup(node.expr.path, scopes);
  std::optional<value> current;
  if (found != nullptr) current = *found;
  bool defaulted = false;
  for (const Filter& f : node.expr.filters) {
    const bool was_missing = !current.has_value() || current->is_null() ||
                             (current->is_string() && current->get_string().empty());
    auto next = ApplyFilter(f, std::move(current), filters_);
    if (!next.ok()) {
      return absl::Status(next.status().code(),
                          StrCat("{{", node.expr.path_text, "}} at ", PosText(node.pos), ": ",
                                 View(next.status().message())));
    }
    current = std::move(*next);
    if (f.kind == FilterKind::kDefault && was_missing) defaulted = true;
  }
  if (!current.has_value() || current->is_null()) {
    return absl::NotFoundError(StrCat("variable '", node.expr.path_text, "' at ", PosText(node.pos),
                                      found == nullptr ? " is missing" : " is null",
                                      " and has no default"));
  }
  absl::StatusOr<std::string> text = ScalarToString(*current);
  if (!text.ok()) {
    return absl::InvalidArgumentError(StrCat("variable '", node.expr.path_text, "' at ",
                                             PosText(node.pos), ": ",
                                             View(text.status().message())));
  }
  if (stats_ != nullptr) {
    ++stats_->variables;
    if (defaulted) ++stats_->defaulted_variables;
  }
  if (!node.raw && escaping_ == Escaping::kHtml) return Append(EscapeHtml(*text));
  return Append(*text);
}

absl::Status Renderer::RenderSection(const TemplateNode& node, std::vector<const value*>& scopes) {
  const value* v;
  if (node.has_args) {
    absl::StatusOr<const value*> list = Provided(node);
    if (!list.ok()) return list.status();
    v = *list;
  } else {
    v = Lookup(node.expr.path, scopes);
  }
  const bool truthy = v != nullptr && Truthy(*v);
  if (node.kind == TemplateNode::Kind::kInverted) {
    return truthy ? absl::OkStatus() : RenderChildren(node, scopes);
  }
  if (!truthy) return absl::OkStatus();
  if (v->is_array()) {
    for (const value& item : v->get_array()) {
      scopes.push_back(&item);
      absl::Status st = RenderChildren(node, scopes);
      scopes.pop_back();
      if (!st.ok()) return st;
    }
    return absl::OkStatus();
  }
  scopes.push_back(v);
  absl::Status st = RenderChildren(node, scopes);
  scopes.pop_back();
  return st;
}

absl::Status Renderer::RenderChildren(const TemplateNode& node, std::vector<const value*>& scopes) {
  for (const TemplateNode& child : node.children) {
    absl::Status st = Step();
    if (!st.ok()) return st;
    switch (child.kind) {
      case TemplateNode::Kind::kText:
        st = Append(child.text);
        break;
      case TemplateNode::Kind::kVariable:
        st = RenderVariable(child, scopes);
        break;
      case TemplateNode::Kind::kSection:
      case TemplateNode::Kind::kInverted:
        st = RenderSection(child, scopes);
        break;
      case TemplateNode::Kind::kRoot:
        break;
    }
    if (!st.ok()) return st;
  }
  return absl::OkStatus();
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      case '`':
        out += "&#96;";
        break;
      case '=':
        out += "&#61;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

absl::StatusOr<CompiledTemplate> CompiledTemplate::Compile(std::string_view source,
                                                           const CompileOptions& options) {
  absl::StatusOr<TemplateNode> root = ParseTemplate(source, options);
  if (!root.ok()) return root.status();
  return CompiledTemplate(std::make_shared<const TemplateNode>(std::move(*root)), options.escaping);
}

absl::StatusOr<std::string> CompiledTemplate::Render(const boost::json::value& context,
                                                     const RenderOptions& options,
                                                     RenderStats* stats) const {
  absl::StatusOr<std::unique_ptr<FilterContext>> filters =
      FilterContext::Create(options.locale, options.time_zone);
  if (!filters.ok()) return filters.status();
  if (stats != nullptr) *stats = RenderStats{};
  Renderer renderer(options, escaping_, **filters, stats);
  std::vector<const value*> scopes{&context};
  absl::Status st = renderer.RenderChildren(*root_, scopes);
  if (!st.ok()) return st;
  return renderer.TakeOutput();
}

absl::StatusOr<std::string> CompiledTemplate::Render(const boost::json::value& context,
                                                     std::string_view locale,
                                                     std::string_view time_zone) const {
  RenderOptions options;
  options.locale = std::string(locale);
  options.time_zone = std::string(time_zone);
  return Render(context, options);
}

}  // namespace tailor::personalize
