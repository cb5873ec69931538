#include "personalize/template_parser.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "common/strings.h"
#include "personalize/string_util.h"
#include "personalize/unicode_text.h"

namespace tailor::personalize {
namespace {

constexpr int64_t kMaxTruncate = 100000;
constexpr int64_t kMaxFractionDigits = 10;

bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-'; }

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Splits `text` on `sep` outside double-quoted strings; returns (offset, piece).
std::vector<std::pair<size_t, std::string_view>> SplitOutsideQuotes(std::string_view text,
                                                                    char sep) {
  std::vector<std::pair<size_t, std::string_view>> out;
  bool in_quote = false;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_quote) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_quote = false;
      }
    } else if (c == '"') {
      in_quote = true;
    } else if (c == sep) {
      out.emplace_back(start, text.substr(start, i - start));
      start = i + 1;
    }
  }
  out.emplace_back(start, text.substr(start));
  return out;
}

// Leading whitespace count, to keep error columns exact after trimming.
size_t LeadingSpace(std::string_view s) {
  size_t i = 0;
  while (i < s.size() && absl::ascii_isspace(static_cast<unsigned char>(s[i]))) ++i;
  return i;
}

// Parses a double-quoted string with \" and \\ escapes that must span all of
// `text`. Returns false when `text` is not exactly one such string.
bool ParseQuoted(std::string_view text, std::string* out) {
  if (text.size() < 2 || text.front() != '"' || text.back() != '"') return false;
  out->clear();
  for (size_t i = 1; i + 1 < text.size(); ++i) {
    char c = text[i];
    if (c == '\\') {
      if (i + 2 >= text.size()) return false;
      c = text[++i];
      if (c != '"' && c != '\\') return false;
    } else if (c == '"') {
      return false;
    }
    out->push_back(c);
  }
  return true;
}

class Parser {
 public:
  Parser(std::string_view src, const CompileOptions& options) : src_(src), options_(options) {
    line_starts_.push_back(0);
    for (size_t i = 0; i < src_.size(); ++i) {
      if (src_[i] == '\n') line_starts_.push_back(i + 1);
    }
  }

  absl::StatusOr<TemplateNode> Run();

 private:
  SourcePos PosAt(size_t offset) const {
    auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
    size_t line = static_cast<size_t>(it - line_starts_.begin());
    size_t col = offset - line_starts_[line - 1] + 1;
    return SourcePos{static_cast<int>(line), static_cast<int>(col)};
  }
  absl::Status ErrorAt(size_t offset, std::string_view message) const {
    SourcePos p = PosAt(offset);
    return absl::InvalidArgumentError(StrCat(p.line, ":", p.column, ": ", message));
  }

  // `offset` is the absolute source offset of `text[0]`.
  absl::Status ParsePath(size_t offset, std::string_view text, Expression* out) const;
  absl::Status ParseExpression(size_t offset, std::string_view text, Expression* out) const;
  absl::Status ParseFilter(size_t offset, std::string_view text, Filter* out) const;
  absl::Status ParseSectionHeader(size_t offset, std::string_view text, TemplateNode* node) const;

  static void AppendText(TemplateNode* parent, std::string_view text) {
    if (text.empty()) return;
    if (!parent->children.empty() && parent->children.back().kind == TemplateNode::Kind::kText) {
      parent->children.back().text.append(text);
      return;
    }
    TemplateNode node;
    node.kind = TemplateNode::Kind::kText;
    node.text = std::string(text);
    parent->children.push_back(std::move(node));
  }

  std::string_view src_;
  const CompileOptions& options_;
  std::vector<size_t> line_starts_;
};

absl::Status Parser::ParsePath(size_t offset, std::string_view text, Expression* out) const {
  size_t lead = LeadingSpace(text);
  std::string_view path = StripWhitespace(text);
  offset += lead;
  out->path_text = std::string(path);
  out->path.clear();
  if (path.empty()) return ErrorAt(offset, "missing variable name");
  if (path == ".") return absl::OkStatus();
  size_t seg_start = 0;
  while (seg_start <= path.size()) {
    size_t dot = std::min(path.find('.', seg_start), path.size());
    std::string_view seg = path.substr(seg_start, dot - seg_start);
    seg_start = dot + 1;
    if (seg.empty() || !std::all_of(seg.begin(), seg.end(), IsIdentChar)) {
      return ErrorAt(offset, StrCat("bad variable path '", path,
                                          "' (use letters, digits, _ and - joined by dots)"));
    }
    out->path.emplace_back(seg);
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseFilter(size_t offset, std::string_view text, Filter* out) const {
  offset += LeadingSpace(text);
  text = StripWhitespace(text);
  out->pos = PosAt(offset);
  size_t colon = text.find(':');
  std::string_view name = StripWhitespace(text.substr(0, colon));
  bool has_arg = colon != std::string_view::npos;
  std::string_view raw_arg =
      has_arg ? StripWhitespace(text.substr(colon + 1)) : std::string_view();
  std::string arg;
  bool quoted = false;
  if (has_arg) {
    if (!raw_arg.empty() && raw_arg.front() == '"') {
      if (!ParseQuoted(raw_arg, &arg)) {
        return ErrorAt(offset, StrCat("bad argument for filter '", name,
                                            "': unterminated or malformed string ", raw_arg));
      }
      quoted = true;
    } else {
      if (raw_arg.empty() || std::any_of(raw_arg.begin(), raw_arg.end(), [](char c) {
            return absl::ascii_isspace(static_cast<unsigned char>(c));
          })) {
        return ErrorAt(offset, StrCat("bad argument for filter '", name, "': '", raw_arg,
                                            "'"));
      }
      arg = std::string(raw_arg);
    }
  }
  auto no_arg = [&](FilterKind kind) -> absl::Status {
    if (has_arg) {
      return ErrorAt(offset, StrCat("filter '", name, "' takes no argument"));
    }
    out->kind = kind;
    return absl::OkStatus();
  };
  auto int_arg = [&](int64_t lo, int64_t hi, int64_t* value) -> bool {
    return !quoted && ParseInt64(arg, value) && *value >= lo && *value <= hi;
  };
  if (name == "default") {
    if (!has_arg) return ErrorAt(offset, "filter 'default' needs an argument, e.g. default:\"there\"");
    out->kind = FilterKind::kDefault;
    out->text_arg = arg;
    return absl::OkStatus();
  }
  if (name == "upper") return no_arg(FilterKind::kUpper);
  if (name == "lower") return no_arg(FilterKind::kLower);
  if (name == "truncate") {
    out->kind = FilterKind::kTruncate;
    if (!has_arg || !int_arg(1, kMaxTruncate, &out->int_arg)) {
      return ErrorAt(offset, StrCat("filter 'truncate' needs an integer 1..", kMaxTruncate,
                                          ", got '", arg, "'"));
    }
    return absl::OkStatus();
  }
  if (name == "number") {
    out->kind = FilterKind::kNumber;
    if (has_arg && !int_arg(0, kMaxFractionDigits, &out->int_arg)) {
      return ErrorAt(offset, StrCat("filter 'number' takes fraction digits 0..",
                                          kMaxFractionDigits, ", got '", arg, "'"));
    }
    return absl::OkStatus();
  }
  if (name == "currency") {
    out->kind = FilterKind::kCurrency;
    if (!has_arg || arg.size() != 3 ||
        !std::all_of(arg.begin(), arg.end(), [](char c) { return absl::ascii_isalpha(c); })) {
      return ErrorAt(offset, StrCat("filter 'currency' needs an ISO 4217 code such as "
                                          "currency:\"EUR\", got '", arg, "'"));
    }
    out->text_arg = absl::AsciiStrToUpper(arg);
    return absl::OkStatus();
  }
  if (name == "date" || name == "datetime") {
    out->kind = name == "date" ? FilterKind::kDate : FilterKind::kDateTime;
    out->text_arg = has_arg ? arg : "medium";
    if (out->text_arg != "short" && out->text_arg != "medium" && out->text_arg != "long" &&
        out->text_arg != "full") {
      return ErrorAt(offset, StrCat("filter '", name,
                                          "' style must be short, medium, long or full, got '",
                                          arg, "'"));
    }
    return absl::OkStatus();
  }
  if (name.empty()) return ErrorAt(offset, "empty filter after '|'");
  return ErrorAt(offset, StrCat("unknown filter '", name, "'"));
}

absl::Status Parser::ParseExpression(size_t offset, std::string_view text,
                                     Expression* out) const {
  auto pieces = SplitOutsideQuotes(text, '|');
  absl::Status st = ParsePath(offset + pieces[0].first, pieces[0].second, out);
  if (!st.ok()) return st;
  for (size_t i = 1; i < pieces.size(); ++i) {
    Filter f;
    st = ParseFilter(offset + pieces[i].first, pieces[i].second, &f);
    if (!st.ok()) return st;
    out->filters.push_back(std::move(f));
  }
  return absl::OkStatus();
}

absl::Status Parser::ParseSectionHeader(size_t offset, std::string_view text,
                                        TemplateNode* node) const {
  size_t lead = LeadingSpace(text);
  text.remove_prefix(lead);
  offset += lead;
  size_t name_end = 0;
  while (name_end < text.size() && !absl::ascii_isspace(static_cast<unsigned char>(text[name_end])))
    ++name_end;
  absl::Status st = ParsePath(offset, text.substr(0, name_end), &node->expr);
  if (!st.ok()) return st;
  if (node->expr.path.empty()) return ErrorAt(offset, "a section needs a name, not '.'");
  for (auto [rel, piece] : SplitOutsideQuotes(text.substr(name_end), ' ')) {
    std::string_view arg = StripWhitespace(piece);
    if (arg.empty()) continue;
    size_t at = offset + name_end + rel + LeadingSpace(piece);
    size_t eq = arg.find('=');
    std::string_view key = eq == std::string_view::npos ? arg : arg.substr(0, eq);
    if (eq == std::string_view::npos || key.empty() ||
        !std::all_of(key.begin(), key.end(), IsIdentChar)) {
      return ErrorAt(at, StrCat("bad section argument '", arg, "' (expected key=value)"));
    }
    std::string_view value = arg.substr(eq + 1);
    std::string str;
    int64_t i64;
    double d;
    if (ParseQuoted(value, &str)) {
      node->args[key] = str;
    } else if (value == "true" || value == "false") {
      node->args[key] = value == "true";
    } else if (ParseInt64(value, &i64)) {
      node->args[key] = i64;
    } else if (ParseFiniteDouble(value, &d)) {
      node->args[key] = d;
    } else {
      return ErrorAt(at, StrCat("bad value in section argument '", arg,
                                      "' (use a number, true/false or a \"string\")"));
    }
    node->has_args = true;
  }
  return absl::OkStatus();
}

absl::StatusOr<TemplateNode> Parser::Run() {
  if (src_.size() > options_.max_template_bytes) {
    return absl::InvalidArgumentError(StrCat("1:1: template is ", src_.size(),
                                                   " bytes, over the limit of ",
                                                   options_.max_template_bytes));
  }
  if (!IsValidUtf8(src_)) return ErrorAt(0, "template is not valid UTF-8");
  TemplateNode root;
  root.kind = TemplateNode::Kind::kRoot;
  std::vector<TemplateNode*> open{&root};
  std::vector<size_t> open_offsets{0};
  size_t pos = 0;
  while (pos < src_.size()) {
    size_t start = src_.find("{{", pos);
    if (start == std::string_view::npos) {
      AppendText(open.back(), src_.substr(pos));
      break;
    }
    const bool triple = src_.compare(start, 3, "{{{") == 0;
    const std::string_view closer = triple ? "}}}" : "}}";
    const size_t content_start = start + (triple ? 3 : 2);
    const size_t close = src_.find(closer, content_start);
    if (close == std::string_view::npos) {
      return ErrorAt(start, StrCat("unterminated tag: missing '", closer, "'"));
    }
    std::string_view content = src_.substr(content_start, close - content_start);
    size_t after = close + closer.size();
    size_t inner_lead = LeadingSpace(content);
    std::string_view trimmed = StripWhitespace(content);
    if (trimmed.empty()) return ErrorAt(start, "empty tag");
    const char sigil = triple ? '\0' : trimmed.front();
    const bool structural = sigil == '#' || sigil == '^' || sigil == '/' || sigil == '!';

    // A structural tag alone on its line takes the line with it, so section
    // markers do not leave blank lines in the output (Mustache "standalone").
    size_t text_end = start;
    if (structural) {
      size_t line_start = 0;
      if (start > 0) {
        size_t nl = src_.rfind('\n', start - 1);
        line_start = nl == std::string_view::npos ? 0 : nl + 1;
      }
      bool blank_before = std::all_of(src_.begin() + line_start, src_.begin() + start, IsBlank);
      size_t e = after;
      while (e < src_.size() && IsBlank(src_[e])) ++e;
      bool blank_after = e == src_.size() || src_[e] == '\n' ||
                         (src_[e] == '\r' && e + 1 < src_.size() && src_[e + 1] == '\n');
      if (blank_before && blank_after) {
        text_end = line_start;
        after = e == src_.size() ? e : e + (src_[e] == '\r' ? 2 : 1);
      }
    }
    AppendText(open.back(), src_.substr(pos, text_end - pos));
    pos = after;

    const size_t body = content_start + inner_lead + (triple ? 0 : 1);  // past the sigil
    if (triple || sigil == '&' || (sigil != '#' && sigil != '^' && sigil != '/' && sigil != '!' &&
                                   sigil != '>' && sigil != '=' && sigil != '{')) {
      TemplateNode node;
      node.kind = TemplateNode::Kind::kVariable;
      node.pos = PosAt(start);
      node.raw = triple || sigil == '&';
      size_t off = (triple ? content_start : content_start + inner_lead + (sigil == '&' ? 1 : 0));
      std::string_view expr = triple ? content : trimmed.substr(sigil == '&' ? 1 : 0);
      absl::Status st = ParseExpression(off, expr, &node.expr);
      if (!st.ok()) return st;
      open.back()->children.push_back(std::move(node));
      continue;
    }
    switch (sigil) {
      case '!':
        break;
      case '>':
        return ErrorAt(start, "partials ({{>name}}) are not supported");
      case '=':
        return ErrorAt(start, "changing delimiters ({{=<% %>=}}) is not supported");
      case '{':
        return ErrorAt(start, "unterminated tag: '{{{' needs '}}}'");
      case '#':
      case '^': {
        if (static_cast<int>(open.size()) > options_.max_section_depth) {
          return ErrorAt(start, StrCat("sections nested deeper than the limit of ",
                                             options_.max_section_depth));
        }
        TemplateNode node;
        node.kind = sigil == '#' ? TemplateNode::Kind::kSection : TemplateNode::Kind::kInverted;
        node.pos = PosAt(start);
        absl::Status st = ParseSectionHeader(body, trimmed.substr(1), &node);
        if (!st.ok()) return st;
        open.back()->children.push_back(std::move(node));
        open.push_back(&open.back()->children.back());
        open_offsets.push_back(start);
        break;
      }
      case '/': {
        std::string_view name = StripWhitespace(trimmed.substr(1));
        if (open.size() == 1) {
          return ErrorAt(start, StrCat("closing tag {{/", name, "}} has no open section"));
        }
        const TemplateNode* top = open.back();
        if (name != top->expr.path_text) {
          SourcePos p = top->pos;
          return ErrorAt(start, StrCat("mismatched closing tag {{/", name, "}}: expected {{/",
                                             top->expr.path_text, "}} for the section opened at ",
                                             p.line, ":", p.column));
        }
        open.pop_back();
        open_offsets.pop_back();
        break;
      }
    }
  }
  if (open.size() > 1) {
    return ErrorAt(open_offsets.back(),
                   StrCat("unclosed section '", open.back()->expr.path_text, "'"));
  }
  return root;
}

}  // namespace

absl::StatusOr<TemplateNode> ParseTemplate(std::string_view source, const CompileOptions& options) {
  return Parser(source, options).Run();
}

}  // namespace tailor::personalize
