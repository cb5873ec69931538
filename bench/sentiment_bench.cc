// Sentiment throughput on short (tweet-sized) texts, single thread.
//
//   cmake --build build/release --target tailor_sentiment_bench -j1
//   build/release/src/models/text/tailor_sentiment_bench --benchmark_min_time=2
//
// items_per_second is texts per second per core. Needs the lexicon
// (`npm ci` in the repository root, or TAILOR_LEXICON_DIR).
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "models/text/sentiment_analyzer.h"
#include "models/text/vader_scorer.h"

namespace {

using tailor::text::SentimentAnalyzer;
using tailor::text::SentimentLexicon;
using tailor::text::SentimentOptions;

// 16 short texts, 40-140 bytes, of the kinds users write: plain, negated,
// boosted, ALL CAPS, "but", emoticons, emoji, question/exclamation marks.
const std::vector<std::string>& ShortTexts() {
  static const std::vector<std::string> texts = {
      "Love these strings, they sound bright and stay in tune for weeks!",
      "Not worth the money. The pedal broke after two days :(",
      "The strap is kind of flimsy but the price is great.",
      "This amp is SO GOOD, best purchase this year!!!",
      "Meh. It works, I guess? Nothing special about it.",
      "Never buying from this seller again, totally useless product.",
      "Great tuner \xF0\x9F\x91\x8D fast and accurate, would recommend",
      "I don't hate it, but I don't love it either.",
      "Arrived late and the box was damaged \xF0\x9F\x98\xA1 but the cable works fine",
      "Honestly the most comfortable guitar stand I have owned :)",
      "Cheap plastic, feels like it will snap any minute. Disappointed.",
      "Exactly as described. Shipping was quick. Thanks!",
      "Without a doubt the best capo I have tried.",
      "Why is this so hard to set up?? Instructions are terrible",
      "Sounds okay for the price, not amazing, not awful.",
      "WOW. Just wow. Blown away by the tone \xF0\x9F\x98\x8D\xF0\x9F\x98\x8D",
  };
  return texts;
}

std::shared_ptr<const SentimentLexicon> Lexicon(benchmark::State& state) {
  static const std::shared_ptr<const SentimentLexicon> lexicon = [] {
    auto loaded = SentimentLexicon::LoadDefault();
    return loaded.ok() ? std::make_shared<const SentimentLexicon>(*std::move(loaded)) : nullptr;
  }();
  if (lexicon == nullptr) state.SkipWithError("lexicon missing: run `npm ci` in the repo root");
  return lexicon;
}

void RunAnalyzer(benchmark::State& state, const SentimentOptions& options) {
  auto lexicon = Lexicon(state);
  if (lexicon == nullptr) return;
  const SentimentAnalyzer analyzer(lexicon, options);
  const auto& texts = ShortTexts();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyzer.Analyze(texts[i]));
    i = (i + 1) % texts.size();
  }
  state.SetItemsProcessed(state.iterations());
}

// VADER rules only, as the npm package does them.
void BM_VaderReference(benchmark::State& state) {
  RunAnalyzer(state, SentimentOptions::Reference());
}
BENCHMARK(BM_VaderReference);

// Default pipeline without cld2: emoji translation + VADER.
void BM_AnalyzeNoLanguage(benchmark::State& state) {
  SentimentOptions options;
  options.detect_language = false;
  RunAnalyzer(state, options);
}
BENCHMARK(BM_AnalyzeNoLanguage);

// Default pipeline: cld2 language detection + emoji translation + VADER.
void BM_AnalyzeDefault(benchmark::State& state) { RunAnalyzer(state, SentimentOptions()); }
BENCHMARK(BM_AnalyzeDefault);

// What the server runs: VADER, the AFINN lists of ~100 languages and the
// word-list vote for texts cld2 cannot call (short ones).
void BM_AnalyzeMultilingual(benchmark::State& state) {
  static const SentimentAnalyzer* const analyzer = [] {
    auto created = SentimentAnalyzer::CreateDefault();
    return created.ok() ? new SentimentAnalyzer(*std::move(created)) : nullptr;
  }();
  if (analyzer == nullptr) {
    state.SkipWithError("lexicons missing: run `npm ci` in the repo root");
    return;
  }
  const auto& texts = ShortTexts();
  size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(analyzer->Analyze(texts[i]));
    i = (i + 1) % texts.size();
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AnalyzeMultilingual);

void BM_LoadLexicon(benchmark::State& state) {
  if (Lexicon(state) == nullptr) return;
  for (auto _ : state) {
    auto lexicon = SentimentLexicon::LoadDefault();
    benchmark::DoNotOptimize(lexicon);
  }
}
BENCHMARK(BM_LoadLexicon)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
