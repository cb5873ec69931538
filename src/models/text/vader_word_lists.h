// Word lists and constants of VADER as the npm package vader-sentiment
// 1.1.3 defines them in code (the lexicon itself is data, loaded at run
// time): boosters/dampeners, negation words, idioms. Used by vader_scorer.cc.
//
//   double very = tailor::text::vader::Boosters().at("very");  // +0.293
#ifndef TAILOR_MODELS_TEXT_VADER_WORD_LISTS_H_
#define TAILOR_MODELS_TEXT_VADER_WORD_LISTS_H_

#include <array>
#include <cstddef>
#include <string_view>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/string_view.h"

namespace tailor::text::vader {

// Empirical constants of the reference.
constexpr double kBoostIncrement = 0.293;
constexpr double kBoostDecrement = -0.293;
constexpr double kCapsIncrement = 0.733;
constexpr double kNegationScalar = -0.74;

// Two-word booster keys of the reference ("kind of" ...); a single token
// never matches them, only the idiom check's bigrams do.
constexpr std::array<std::array<std::string_view, 2>, 3> kBoosterBigrams = {
    {{"just", "enough"}, {"kind", "of"}, {"sort", "of"}}};

struct Idiom {
  std::array<std::string_view, 3> words;
  size_t size;
  double valence;
};
constexpr std::array<Idiom, 7> kIdioms = {{{{"the", "shit", ""}, 2, 3},
                                           {{"the", "bomb", ""}, 2, 3},
                                           {{"bad", "ass", ""}, 2, 1.5},
                                           {{"yeah", "right", ""}, 2, -2},
                                           {{"cut", "the", "mustard"}, 3, 2},
                                           {{"kiss", "of", "death"}, 3, -1.5},
                                           {{"hand", "to", "mouth"}, 3, -2}}};

// Lowercase single-word boosters (> 0) and dampeners (< 0).
const absl::flat_hash_map<absl::string_view, double>& Boosters();

// Negation words, compared case-sensitively as in the reference.
const absl::flat_hash_set<absl::string_view>& NegationWords();

}  // namespace tailor::text::vader

#endif  // TAILOR_MODELS_TEXT_VADER_WORD_LISTS_H_
