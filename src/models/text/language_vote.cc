#include "models/text/language_vote.h"

#include <algorithm>

#include "models/text/afinn_lexicons.h"
#include "models/text/language_codes.h"
#include "models/text/sentiment_lexicon.h"

namespace tailor::text {

uint16_t LanguageVote::LanguageId(std::string_view language) {
  if (auto found = language_ids_.find(absl::string_view(language.data(), language.size()));
      found != language_ids_.end()) {
    return found->second;
  }
  auto [it, inserted] =
      language_ids_.try_emplace(std::string(language), static_cast<uint16_t>(languages_.size()));
  if (inserted) languages_.emplace_back(language);
  return it->second;
}

void LanguageVote::AddWord(std::string_view language, std::string_view folded_word) {
  if (language.empty() || folded_word.empty()) return;
  const uint16_t id = LanguageId(language);
  auto it = words_.find(absl::string_view(folded_word.data(), folded_word.size()));
  if (it == words_.end()) it = words_.try_emplace(std::string(folded_word)).first;
  if (std::find(it->second.begin(), it->second.end(), id) == it->second.end()) {
    it->second.push_back(id);
  }
}

void LanguageVote::AddStopWords(const StopWords& stop_words) {
  for (const std::string& language : stop_words.Languages()) {
    for (const std::string& word : *stop_words.ForLanguage(language)) AddWord(language, word);
  }
}

void LanguageVote::AddAfinn(const AfinnLexicons& lexicons) {
  for (const auto& lang : lexicons.languages()) {
    for (const auto& [word, rating] : lang->words) AddWord(lang->code, word);
  }
}

void LanguageVote::AddVader(const SentimentLexicon& lexicon) {
  lexicon.ForEachWord([this](std::string_view word) { AddWord("en", word); });
}

std::string LanguageVote::Decide(const std::vector<std::string>& words) const {
  thread_local std::vector<int> counts;
  thread_local std::vector<uint16_t> touched;
  if (counts.size() < languages_.size()) counts.resize(languages_.size(), 0);
  touched.clear();
  for (const std::string& word : words) {
    auto it = words_.find(absl::string_view(word));
    if (it == words_.end()) continue;
    for (uint16_t id : it->second) {
      if (counts[id]++ == 0) touched.push_back(id);
    }
  }
  int best = 0;
  int second = 0;
  uint16_t winner = 0;
  for (uint16_t id : touched) {
    const int c = counts[id];
    counts[id] = 0;
    if (c > best) {
      second = best;
      best = c;
      winner = id;
    } else if (c > second) {
      second = c;
    }
  }
  if (best == 0 || best == second) return "";
  return languages_[winner];
}

}  // namespace tailor::text
