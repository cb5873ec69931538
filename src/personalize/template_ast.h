// The parsed form of a notification template (see template.h for the
// language). Produced by ParseTemplate() in template_parser.h, walked by
// CompiledTemplate::Render(); callers normally never touch it directly.
//
//   absl::StatusOr<std::unique_ptr<TemplateNode>> root = ParseTemplate("Hi {{user.name}}", {});
//   // root->children[0] is text "Hi ", children[1] a variable with path {"user", "name"}.
#ifndef TAILOR_PERSONALIZE_TEMPLATE_AST_H_
#define TAILOR_PERSONALIZE_TEMPLATE_AST_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "boost/json/object.hpp"

namespace tailor::personalize {

// How `{{var}}` output is escaped. `{{{var}}}` and `{{& var}}` are never escaped.
enum class Escaping {
  kHtml,  // email bodies: & < > " ' ` = become entities
  kNone,  // SMS, push, subjects: text goes out as is
};

struct CompileOptions {
  Escaping escaping = Escaping::kHtml;
  // Source larger than this is rejected before parsing.
  size_t max_template_bytes = 64 * 1024;
  // Maximum nesting of sections ({{#a}}{{#b}}..{{/b}}{{/a}} is depth 2).
  int max_section_depth = 8;
};

// A 1-based position in the template source.
struct SourcePos {
  int line = 1;
  int column = 1;
};

enum class FilterKind { kDefault, kUpper, kLower, kTruncate, kNumber, kCurrency, kDate, kDateTime };

struct Filter {
  FilterKind kind = FilterKind::kDefault;
  std::string text_arg;  // default text, currency code, or date style name
  int64_t int_arg = -1;  // truncate length, number fraction digits (-1: ICU default)
  SourcePos pos;
};

// A variable reference: a dotted path ("." is the current section item) and
// the filters applied to it, left to right.
struct Expression {
  std::string path_text;          // as written, for error messages
  std::vector<std::string> path;  // empty for "."
  std::vector<Filter> filters;
};

struct TemplateNode {
  enum class Kind { kRoot, kText, kVariable, kSection, kInverted };
  Kind kind = Kind::kRoot;
  SourcePos pos;
  std::string text;        // kText
  Expression expr;         // kVariable; for sections only path/path_text are used
  bool raw = false;        // kVariable: never escape
  // kSection only: `{{#name key=value ...}}`. Non-empty args make it a
  // provider section, resolved through the caller's SectionProvider.
  boost::json::object args;
  bool has_args = false;
  std::vector<TemplateNode> children;  // kRoot, kSection, kInverted
};

}  // namespace tailor::personalize

#endif  // TAILOR_PERSONALIZE_TEMPLATE_AST_H_
