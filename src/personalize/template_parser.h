// Parser for the notification template language (syntax in template.h).
// Turns source text into a TemplateNode tree or an InvalidArgument error
// whose message starts with "line:column: ".
//
//   absl::StatusOr<TemplateNode> root = ParseTemplate("{{#items}}{{name}}{{/items}}", {});
//   if (!root.ok()) LOG(root.status().message());  // e.g. "1:1: unclosed section 'items'"
#ifndef TAILOR_PERSONALIZE_TEMPLATE_PARSER_H_
#define TAILOR_PERSONALIZE_TEMPLATE_PARSER_H_

#include <string_view>

#include "absl/status/statusor.h"
#include "personalize/template_ast.h"

namespace tailor::personalize {

// Errors (all InvalidArgument, message prefixed with the 1-based position):
// template over options.max_template_bytes, invalid UTF-8, unterminated tag,
// empty tag, bad variable path, unclosed section, close without open,
// mismatched close, sections nested deeper than options.max_section_depth,
// unknown filter, bad or missing filter argument, bad section argument,
// unsupported tags (partials `{{>x}}`, delimiter changes `{{=<% %>=}}`).
absl::StatusOr<TemplateNode> ParseTemplate(std::string_view source, const CompileOptions& options);

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_TEMPLATE_PARSER_H_
