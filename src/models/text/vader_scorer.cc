#include "models/text/vader_scorer.h"

#include <unicode/locid.h>
#include <unicode/unistr.h>

#include <array>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "models/text/utf8_scan.h"
#include "models/text/vader_tokens.h"
#include "models/text/vader_word_lists.h"

namespace tailor::text {
namespace {

using vader::kBoostDecrement;
using vader::kCapsIncrement;
using vader::kNegationScalar;

// Lowercased words some rules look for (compared case-insensitively).
enum class Lower : uint8_t { kOther, kKind, kOf, kLeast, kAt, kVery, kWithout, kDoubt };
// Raw words some rules look for (the reference compares these case-sensitively).
enum class Raw : uint8_t { kOther, kNever, kSoOrThis };

struct Token {
  std::string_view raw;
  const double* valence = nullptr;  // lexicon entry of the lowercased token
  double booster = 0;
  bool is_booster = false;
  bool all_caps = false;
  bool negates = false;
  Lower lower = Lower::kOther;
  Raw raw_word = Raw::kOther;
};

struct Scratch {
  std::vector<std::string_view> words;
  std::vector<Token> tokens;
  std::vector<double> sentiments;
  std::string lower;
};

Scratch& ThreadScratch() {
  thread_local Scratch scratch;
  return scratch;
}

// JavaScript String.prototype.toLowerCase (Unicode default case mapping).
void LowercaseInto(std::string_view word, std::string* out) {
  out->clear();
  if (IsAscii(word)) {
    for (char c : word) out->push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c);
    return;
  }
  icu::UnicodeString u = icu::UnicodeString::fromUTF8(
      icu::StringPiece(word.data(), static_cast<int32_t>(word.size())));
  u.toLower(icu::Locale::getRoot());
  u.toUTF8String(*out);
}

Lower ClassifyLower(std::string_view w) {
  if (w == "kind") return Lower::kKind;
  if (w == "of") return Lower::kOf;
  if (w == "least") return Lower::kLeast;
  if (w == "at") return Lower::kAt;
  if (w == "very") return Lower::kVery;
  if (w == "without") return Lower::kWithout;
  if (w == "doubt") return Lower::kDoubt;
  return Lower::kOther;
}

// negated([word]) of the reference for one word.
bool Negates(std::string_view raw) {
  return vader::NegationWords().contains(absl::string_view(raw.data(), raw.size())) ||
         raw.find("n't") != std::string_view::npos;
}

// Equality of tokens[begin, begin+n) with `words` (raw, case-sensitive).
bool SequenceIs(const std::vector<Token>& tokens, size_t begin, size_t n,
                const std::string_view* words) {
  for (size_t k = 0; k < n; ++k) {
    if (tokens[begin + k].raw != words[k]) return false;
  }
  return true;
}

std::optional<double> MatchIdiom(const std::vector<Token>& tokens, size_t begin, size_t n) {
  for (const vader::Idiom& idiom : vader::kIdioms) {
    if (idiom.size == n && SequenceIs(tokens, begin, n, idiom.words.data())) return idiom.valence;
  }
  return std::nullopt;
}

class Rules {
 public:
  Rules(const std::vector<Token>& t, bool cap_differential, const VaderOptions& options)
      : t_(t), cap_diff_(cap_differential), options_(options) {}

  // sentiment_valence of the reference for a token known to the lexicon.
  double Valence(size_t i) const {
    double valence = *t_[i].valence;
    if (t_[i].all_caps && cap_diff_) valence += valence > 0 ? kCapsIncrement : -kCapsIncrement;
    for (size_t start = 0; start < 3; ++start) {
      if (i > start && t_[i - start - 1].valence == nullptr) {
        double s = ScalarIncDec(t_[i - start - 1], valence);
        if (start == 1 && s != 0) {
          s = s * 0.95;
        } else if (start == 2 && s != 0) {
          s = s * 0.9;
        }
        valence = valence + s;
        valence = NeverCheck(valence, start, i);
        if (start == 2) valence = IdiomsCheck(valence, i);
      }
    }
    return LeastCheck(valence, i);
  }

 private:
  double ScalarIncDec(const Token& word, double valence) const {
    if (!word.is_booster) return 0.0;
    double scalar = word.booster;
    if (valence < 0) scalar *= -1;
    if (cap_diff_ && word.all_caps) {
      if (valence > 0) {
        scalar += kCapsIncrement;
      } else {
        scalar -= kCapsIncrement;
      }
    }
    return scalar;
  }

  bool WithoutDoubt(size_t without, size_t d1, size_t d2) const {
    return options_.without_doubt && t_[without].lower == Lower::kWithout &&
           (t_[d1].lower == Lower::kDoubt || t_[d2].lower == Lower::kDoubt);
  }

  double NeverCheck(double valence, size_t start, size_t i) const {
    if (start == 0) {
      if (t_[i - 1].negates) valence = valence * kNegationScalar;
    } else if (start == 1) {
      if (t_[i - 2].raw_word == Raw::kNever && t_[i - 1].raw_word == Raw::kSoOrThis) {
        valence = valence * 1.5;
      } else if (WithoutDoubt(i - 2, i - 1, i - 1)) {
        // "without doubt good": not a negation.
      } else if (t_[i - 2].negates) {
        valence = valence * kNegationScalar;
      }
    } else {
      if ((t_[i - 3].raw_word == Raw::kNever && t_[i - 2].raw_word == Raw::kSoOrThis) ||
          t_[i - 1].raw_word == Raw::kSoOrThis) {
        valence = valence * 1.25;
      } else if (WithoutDoubt(i - 3, i - 2, i - 1)) {
        // "without a doubt good": not a negation.
      } else if (t_[i - 3].negates) {
        valence = valence * kNegationScalar;
      }
    }
    return valence;
  }

  // Requires i >= 3 (only called for the third preceding word).
  double IdiomsCheck(double valence, size_t i) const {
    // Order of the reference: onezero, twoonezero, twoone, threetwoone, threetwo.
    static constexpr std::array<std::pair<size_t, size_t>, 5> kWindows = {
        {{1, 2}, {2, 3}, {2, 2}, {3, 3}, {3, 2}}};  // {distance back, length}
    for (const auto& [back, n] : kWindows) {
      if (auto v = MatchIdiom(t_, i - back, n)) {
        valence = *v;
        break;
      }
    }
    if (t_.size() - 1 > i) {
      if (auto v = MatchIdiom(t_, i, 2)) valence = *v;
    }
    if (t_.size() - 1 > i + 1) {
      if (auto v = MatchIdiom(t_, i, 3)) valence = *v;
    }
    for (const auto& bigram : vader::kBoosterBigrams) {
      if (SequenceIs(t_, i - 3, 2, bigram.data()) || SequenceIs(t_, i - 2, 2, bigram.data())) {
        valence = valence + kBoostDecrement;
        break;
      }
    }
    return valence;
  }

  double LeastCheck(double valence, size_t i) const {
    if (i > 1 && t_[i - 1].lower == Lower::kLeast && t_[i - 1].valence == nullptr) {
      if (t_[i - 2].lower != Lower::kAt && t_[i - 2].lower != Lower::kVery) {
        valence = valence * kNegationScalar;
      }
    } else if (i > 0 && t_[i - 1].lower == Lower::kLeast && t_[i - 1].valence == nullptr) {
      valence = valence * kNegationScalar;
    }
    return valence;
  }

  const std::vector<Token>& t_;
  bool cap_diff_;
  const VaderOptions& options_;
};

}  // namespace

PolarityScores PolarityFromSentiments(const std::vector<double>& sentiments,
                                      std::string_view text) {
  PolarityScores scores;
  if (sentiments.empty()) return scores;
  double sum = 0;
  for (double s : sentiments) sum += s;

  size_t exclamations = 0;
  size_t questions = 0;
  for (char c : text) {
    exclamations += c == '!';
    questions += c == '?';
  }
  const double ep = static_cast<double>(exclamations > 4 ? 4 : exclamations) * 0.292;
  double qm = 0;
  if (questions > 1) qm = questions <= 3 ? static_cast<double>(questions) * 0.18 : 0.96;
  const double amplifier = ep + qm;
  if (sum > 0) {
    sum += amplifier;
  } else if (sum < 0) {
    sum -= amplifier;
  }
  const double compound = NormalizeVader(sum);

  double pos_sum = 0;
  double neg_sum = 0;
  double neu_count = 0;
  for (double s : sentiments) {
    if (s > 0) {
      pos_sum += s + 1;
    } else if (s < 0) {
      neg_sum += s - 1;
    } else {
      neu_count += 1;
    }
  }
  if (pos_sum > std::fabs(neg_sum)) {
    pos_sum += amplifier;
  } else if (pos_sum < std::fabs(neg_sum)) {
    neg_sum -= amplifier;
  }
  const double total = pos_sum + std::fabs(neg_sum) + neu_count;
  scores.negative = RoundLikeJsToFixed(std::fabs(neg_sum / total), 3);
  scores.neutral = RoundLikeJsToFixed(std::fabs(neu_count / total), 3);
  scores.positive = RoundLikeJsToFixed(std::fabs(pos_sum / total), 3);
  scores.compound = RoundLikeJsToFixed(compound, 4);
  return scores;
}

double RoundLikeJsToFixed(double value, int digits) {
  if (!std::isfinite(value)) return value;
  // A tie at `digits` decimals is exactly j / 2^(digits+1) with j odd; glibc
  // would round it to even, JavaScript rounds it away from zero.
  const double scaled = std::ldexp(std::fabs(value), digits + 1);
  if (scaled == std::floor(scaled) && std::fmod(scaled, 2.0) == 1.0) {
    value = std::nextafter(value, value > 0 ? INFINITY : -INFINITY);
  }
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", digits, value);
  return std::strtod(buffer, nullptr);
}

double NormalizeVader(double score, double alpha) {
  const double norm = score / std::sqrt(score * score + alpha);
  if (norm < -1.0) return -1.0;
  if (norm > 1.0) return 1.0;
  return norm;
}

PolarityScores VaderScorer::Score(std::string_view text) const {
  Scratch& scratch = ThreadScratch();
  SplitVaderTokens(text, &scratch.words);
  std::vector<Token>& tokens = scratch.tokens;
  tokens.clear();
  const auto& boosters = vader::Boosters();
  for (std::string_view word : scratch.words) {
    Token token;
    token.raw = word;
    LowercaseInto(word, &scratch.lower);
    token.valence = lexicon_.Valence(scratch.lower);
    if (auto it = boosters.find(absl::string_view(scratch.lower)); it != boosters.end()) {
      token.is_booster = true;
      token.booster = it->second;
    }
    token.all_caps = IsAllCapsWord(word);
    token.negates = Negates(word);
    token.lower = ClassifyLower(scratch.lower);
    if (word == "never") {
      token.raw_word = Raw::kNever;
    } else if (word == "so" || word == "this") {
      token.raw_word = Raw::kSoOrThis;
    }
    tokens.push_back(token);
  }

  const Rules rules(tokens, HasCapDifferential(scratch.words), options_);
  std::vector<double>& sentiments = scratch.sentiments;
  sentiments.clear();
  for (size_t i = 0; i < tokens.size(); ++i) {
    const bool kind_of = i + 1 < tokens.size() && tokens[i].lower == Lower::kKind &&
                         tokens[i + 1].lower == Lower::kOf;
    if (kind_of || tokens[i].is_booster || tokens[i].valence == nullptr) {
      sentiments.push_back(0.0);
    } else {
      sentiments.push_back(rules.Valence(i));
    }
  }

  // Contrastive "but": the first "but" (else "BUT") halves what precedes it
  // and strengthens what follows by half.
  size_t but = tokens.size();
  for (size_t i = 0; i < tokens.size() && but == tokens.size(); ++i) {
    if (tokens[i].raw == "but") but = i;
  }
  for (size_t i = 0; i < tokens.size() && but == tokens.size(); ++i) {
    if (tokens[i].raw == "BUT") but = i;
  }
  if (but < tokens.size()) {
    for (size_t i = 0; i < sentiments.size(); ++i) {
      if (i < but) {
        sentiments[i] = sentiments[i] * 0.5;
      } else if (i > but) {
        sentiments[i] = sentiments[i] * 1.5;
      }
    }
  }
  return PolarityFromSentiments(sentiments, text);
}

}  // namespace tailor::text
