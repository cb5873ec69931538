// Notification templates: a small, safe Mustache-style language compiled once
// and rendered per user. Rendering is bounded (no loops beyond the data, no
// recursion beyond the section depth limit, capped output and work), so a
// tenant-supplied template cannot hurt the server.
//
// Syntax
//   {{user.first_name}}           variable, dotted path into the JSON context;
//                                 HTML-escaped when compiled with Escaping::kHtml
//   {{{item.html}}} / {{& x}}     never escaped
//   {{x | default:"there"}}       used when x is missing, null or ""; without a default
//                                 a missing or null x fails the render (NotFound)
//   {{x | upper}} {{x | lower}}   locale-aware case mapping
//   {{x | truncate:40}}           at most 40 user-perceived characters, "…" included
//   {{x | number}} {{x | number:2}}      locale digits / fixed fraction digits
//   {{x | currency:"EUR"}}        locale currency format of an amount in major units
//   {{x | date:"medium"}} {{x | datetime:"short"}}  styles short|medium|long|full, in
//                                 the render time zone; x is RFC 3339 text, epoch
//                                 seconds, or a YYYY-MM-DD date (never shifted)
//   {{#items}}..{{.}}..{{/items}} section: once per list element, once for a truthy
//                                 scalar/object (pushed as scope); skipped when falsy
//                                 (missing, null, false, 0, "", [])
//   {{^items}}..{{/items}}        inverted section: only when falsy
//   {{#recommendations n=3}}..{{/recommendations}}  provider section: any section
//                                 with key=value arguments asks the caller's
//                                 SectionProvider for its list
//   {{! comment }}
// Names resolve from the innermost section scope outwards (Mustache rules).
//
// Usage
//   absl::StatusOr<CompiledTemplate> t = CompiledTemplate::Compile(
//       "Hi {{user.first_name | default:\"there\"}}, {{total | currency:\"EUR\"}}",
//       {.escaping = Escaping::kNone});
//   absl::StatusOr<std::string> text = t->Render(context, "de-DE", "Europe/Berlin");
#ifndef TAILOR_PERSONALIZE_TEMPLATE_H_
#define TAILOR_PERSONALIZE_TEMPLATE_H_

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/statusor.h"
#include "boost/json/array.hpp"
#include "boost/json/object.hpp"
#include "boost/json/value.hpp"
#include "personalize/template_ast.h"

namespace tailor::personalize {

// Supplies the list for a provider section `{{#name key=value...}}`. Called
// once per distinct name and arguments in a render (the answer is reused
// wherever the section repeats, nested ones included). Returning an error
// aborts the render with that error.
using SectionProvider = std::function<absl::StatusOr<boost::json::array>(
    std::string_view name, const boost::json::object& args)>;

struct RenderOptions {
  std::string locale = "en-US";      // BCP 47
  std::string time_zone = "UTC";     // IANA
  SectionProvider section_provider;  // may be empty if the template has no provider sections
  size_t max_output_bytes = 64 * 1024;
  // Upper bound on nodes visited (a guard against lists nested in lists).
  size_t max_steps = 100000;
  // Distinct provider sections (name and arguments) a render may ask for;
  // more is ResourceExhausted.
  size_t max_provider_calls = 8;
};

// What a render used, for the quality score's render completeness.
struct RenderStats {
  int variables = 0;            // variable tags rendered (each iteration counts)
  int defaulted_variables = 0;  // of those, filled by a `default` filter
};

class CompiledTemplate {
 public:
  // Parses `source`. Errors are InvalidArgument "line:column: message", see
  // template_parser.h for the list.
  static absl::StatusOr<CompiledTemplate> Compile(std::string_view source,
                                                  const CompileOptions& options = {});

  // Renders against `context` (normally a JSON object: {"user": {...}, ...}).
  // Errors:
  //   NotFound          a variable is missing (or null/"") and has no default;
  //                     the message names the variable and its position
  //   InvalidArgument   bad locale/time zone, a filter cannot handle the value,
  //                     a variable is a list/object
  //   FailedPrecondition a provider section without a SectionProvider
  //   ResourceExhausted output over max_output_bytes or work over max_steps
  // `stats` (optional) receives counts for the quality score.
  absl::StatusOr<std::string> Render(const boost::json::value& context,
                                     const RenderOptions& options,
                                     RenderStats* stats = nullptr) const;
  absl::StatusOr<std::string> Render(const boost::json::value& context, std::string_view locale,
                                     std::string_view time_zone) const;

  Escaping escaping() const { return escaping_; }

 private:
  CompiledTemplate(std::shared_ptr<const TemplateNode> root, Escaping escaping)
      : root_(std::move(root)), escaping_(escaping) {}
  std::shared_ptr<const TemplateNode> root_;  // immutable, shared by copies
  Escaping escaping_;
};

// HTML-escapes & < > " ' ` = (the characters that matter in text and
// attribute values).
std::string EscapeHtml(std::string_view text);

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_TEMPLATE_H_
