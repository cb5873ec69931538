// `tailor sentiment`: scores one text per line of stdin and prints one
// result per line (JSON with --json, else tab-separated), in input order.
//
//   printf 'I love it!\nEsto es malísimo\nok\n' | tailor sentiment --json
//   {"compound":0.6696,...,"supported":true,"language":"en","language_source":"vocabulary",...}
//   {"compound":-0.3819,...,"supported":true,"language":"es",...,"method":"afinn"}
//   {"compound":null,...,"supported":false,"language":"und","language_source":"unknown",
//    "reason":"language_undetermined"}
//
// The language is --language when given, else detected per line (see
// models/text/sentiment_analyzer.h); a line whose language has no lexicon
// or cannot be told gets null scores (JSON) or "-" (tab-separated). Each
// output line corresponds to one input line. Exit code 2 if a lexicon
// cannot be loaded.
//
// --reference scores exactly as npm vader-sentiment 1.1.3 (no emoji
// translation, no "without doubt" rule, no language detection); it is what
// tools/sentiment_eval compares against the JavaScript implementation.
#include <CLI/CLI.hpp>
#include <charconv>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>

#include "app/command_registry.h"
#include "models/text/language_codes.h"
#include "models/text/sentiment_analyzer.h"

namespace tailor::app {
namespace {

struct SentimentFlags {
  bool json = false;
  bool reference = false;
  bool no_language = false;
  std::string language;
  std::string lexicon_dir;
};

void AppendNumber(double value, std::string* out) {
  if (value == 0) value = 0;  // no "-0"
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  out->append(buffer, result.ptr);
}

void AppendScore(const text::SentimentResult& r, double value, bool json, std::string* out) {
  if (r.supported) {
    AppendNumber(value, out);
  } else {
    out->append(json ? "null" : "-");
  }
}

void AppendResult(const text::SentimentResult& r, bool json, std::string* out) {
  // Language codes and the fixed names are ASCII letters and '-': no escaping.
  if (json) {
    out->append("{\"compound\":");
    AppendScore(r, r.scores.compound, json, out);
    out->append(",\"positive\":");
    AppendScore(r, r.scores.positive, json, out);
    out->append(",\"neutral\":");
    AppendScore(r, r.scores.neutral, json, out);
    out->append(",\"negative\":");
    AppendScore(r, r.scores.negative, json, out);
    out->append(r.supported ? ",\"supported\":true" : ",\"supported\":false");
    out->append(",\"language\":\"");
    out->append(r.language);
    out->append("\",\"language_source\":\"");
    out->append(text::LanguageSourceName(r.language_source));
    out->push_back('"');
    out->append(r.supported ? ",\"method\":\"" : ",\"reason\":\"");
    out->append(r.supported ? text::SentimentMethodName(r.method) : text::NoScoreReason(r));
    out->push_back('"');
    out->append("}\n");
    return;
  }
  AppendScore(r, r.scores.compound, json, out);
  out->push_back('\t');
  AppendScore(r, r.scores.positive, json, out);
  out->push_back('\t');
  AppendScore(r, r.scores.neutral, json, out);
  out->push_back('\t');
  AppendScore(r, r.scores.negative, json, out);
  out->push_back('\t');
  out->append(r.language);
  if (!r.supported) {
    out->push_back('\t');
    out->append(text::NoScoreReason(r));
  }
  out->push_back('\n');
}

int RunSentiment(const SentimentFlags& flags) {
  text::SentimentOptions options =
      flags.reference ? text::SentimentOptions::Reference() : text::SentimentOptions();
  if (flags.no_language) options.detect_language = false;
  if (!flags.language.empty() && text::CanonicalLanguage(flags.language).empty()) {
    std::cerr << "tailor sentiment: --language must be a BCP 47 tag such as es or pt-BR\n";
    return 2;
  }
  absl::StatusOr<text::SentimentAnalyzer> analyzer =
      text::SentimentAnalyzer::CreateDefault(options, flags.lexicon_dir);
  if (!analyzer.ok()) {
    std::cerr << "tailor sentiment: " << analyzer.status().message() << "\n";
    return 2;
  }

  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    AppendResult(analyzer->Analyze(line, flags.language), flags.json, &out);
    if (out.size() > (1 << 16)) {
      std::fwrite(out.data(), 1, out.size(), stdout);
      out.clear();
    }
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return std::fflush(stdout) == 0 ? 0 : 1;
}

void AddSentimentCommand(CLI::App& app) {
  auto flags = std::make_shared<SentimentFlags>();
  CLI::App* cmd = app.add_subcommand(
      "sentiment",
      "Score the sentiment of each line of stdin in its language (VADER for English, AFINN "
      "lists for other languages; compound in [-1, 1])");
  cmd->add_flag("--json", flags->json, "One JSON object per line instead of tab-separated");
  cmd->add_flag("--reference", flags->reference,
                "Score exactly like npm vader-sentiment 1.1.3 (no emoji translation, no "
                "'without doubt' rule, no language detection)");
  cmd->add_flag("--no-language", flags->no_language,
                "Skip language detection: score every line as English");
  cmd->add_option("--language", flags->language,
                  "BCP 47 tag of every line (e.g. es, pt-BR): no detection");
  cmd->add_option("--lexicon-dir", flags->lexicon_dir,
                  "Directory with vader_lexicon.txt (default: $TAILOR_LEXICON_DIR, then "
                  "<repo>/node_modules/vader-sentiment)");
  cmd->callback([flags] { SetExitCode(RunSentiment(*flags)); });
}

TAILOR_REGISTER_COMMAND(AddSentimentCommand);

}  // namespace
}  // namespace tailor::app
