// `tailor sentiment`: scores one text per line of stdin and prints one
// result per line (JSON with --json, else tab-separated), in input order.
//
//   printf 'I love it!\nnot good\n' | tailor sentiment --json
//   {"compound":0.6696,"positive":0.818,"neutral":0.182,"negative":0,"language":"en",...}
//   {"compound":-0.3412,"positive":0,"neutral":0.294,"negative":0.706,"language":"en",...}
//
// Empty lines give all-zero scores (as the reference); each output line
// corresponds to one input line. Exit code 2 if the lexicon cannot be loaded.
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
#include "models/text/sentiment_analyzer.h"

namespace tailor::app {
namespace {

struct SentimentFlags {
  bool json = false;
  bool reference = false;
  bool no_language = false;
  std::string lexicon_dir;
};

void AppendNumber(double value, std::string* out) {
  if (value == 0) value = 0;  // no "-0"
  char buffer[32];
  const auto result =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed);
  out->append(buffer, result.ptr);
}

void AppendResult(const text::SentimentResult& r, bool json, std::string* out) {
  if (json) {
    out->append("{\"compound\":");
    AppendNumber(r.scores.compound, out);
    out->append(",\"positive\":");
    AppendNumber(r.scores.positive, out);
    out->append(",\"neutral\":");
    AppendNumber(r.scores.neutral, out);
    out->append(",\"negative\":");
    AppendNumber(r.scores.negative, out);
    out->append(",\"language\":\"");
    out->append(r.language);  // cld2 codes: ASCII letters and '-'
    out->append(r.language_unsupported ? "\",\"language_unsupported\":true}\n"
                                       : "\",\"language_unsupported\":false}\n");
    return;
  }
  AppendNumber(r.scores.compound, out);
  out->push_back('\t');
  AppendNumber(r.scores.positive, out);
  out->push_back('\t');
  AppendNumber(r.scores.neutral, out);
  out->push_back('\t');
  AppendNumber(r.scores.negative, out);
  out->push_back('\t');
  out->append(r.language);
  out->append(r.language_unsupported ? "\tunsupported\n" : "\n");
}

int RunSentiment(const SentimentFlags& flags) {
  text::SentimentOptions options =
      flags.reference ? text::SentimentOptions::Reference() : text::SentimentOptions();
  if (flags.no_language) options.detect_language = false;
  absl::StatusOr<text::SentimentLexicon> lexicon =
      flags.lexicon_dir.empty() ? text::SentimentLexicon::LoadDefault()
                                : text::SentimentLexicon::LoadFromDirectory(flags.lexicon_dir);
  if (!lexicon.ok()) {
    std::cerr << "tailor sentiment: " << lexicon.status().message() << "\n";
    return 2;
  }
  const text::SentimentAnalyzer analyzer(
      std::make_shared<const text::SentimentLexicon>(*std::move(lexicon)), options);

  std::ios::sync_with_stdio(false);
  std::string line;
  std::string out;
  while (std::getline(std::cin, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    AppendResult(analyzer.Analyze(line), flags.json, &out);
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
      "Score the sentiment of each line of stdin (VADER; compound in [-1, 1], language)");
  cmd->add_flag("--json", flags->json, "One JSON object per line instead of tab-separated");
  cmd->add_flag("--reference", flags->reference,
                "Score exactly like npm vader-sentiment 1.1.3 (no emoji translation, no "
                "'without doubt' rule, no language detection)");
  cmd->add_flag("--no-language", flags->no_language,
                "Skip language detection: score every line as English");
  cmd->add_option("--lexicon-dir", flags->lexicon_dir,
                  "Directory with vader_lexicon.txt (default: $TAILOR_LEXICON_DIR, then "
                  "<repo>/node_modules/vader-sentiment)");
  cmd->callback([flags] { SetExitCode(RunSentiment(*flags)); });
}

TAILOR_REGISTER_COMMAND(AddSentimentCommand);

}  // namespace
}  // namespace tailor::app
