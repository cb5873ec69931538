#include "models/text/tfidf_index.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <memory>
#include <thread>

#include "absl/container/flat_hash_map.h"
#include "models/text/language_codes.h"
#include "models/text/language_detector.h"
#include "models/text/language_vote.h"
#include "models/text/snowball_stem.h"
#include "models/text/word_tokens.h"

namespace tailor::text {
namespace {

// Build() tokenises on up to kMaxThreads threads, each with at least
// kMinDocumentsPerThread documents (thread start-up and the per-thread ICU and
// Snowball objects are not worth it for fewer).
constexpr int32_t kMaxThreads = 8;
constexpr int32_t kMinDocumentsPerThread = 2000;

// Documents without a language hint are detected from this many leading bytes.
constexpr size_t kDetectionBytes = 4096;

// Calls fn(const std::string& word) for each word of `text` (FoldedWords),
// without the words of `stop` (may be null); not stemmed.
template <typename Fn>
void ForEachWord(std::string_view text, const StopWords::Set* stop, Fn&& fn) {
  thread_local std::vector<std::string> words;
  FoldedWords(text, &words);
  for (const std::string& word : words) {
    if (stop != nullptr && stop->contains(word)) continue;
    fn(word);
  }
}

// Sorts `ids` and appends (id, occurrences) per distinct id to `counts`.
void AppendCounts(std::vector<int32_t>* ids, std::vector<std::pair<int32_t, int32_t>>* counts) {
  std::sort(ids->begin(), ids->end());
  for (size_t i = 0; i < ids->size();) {
    size_t j = i + 1;
    while (j < ids->size() && (*ids)[j] == (*ids)[i]) ++j;
    counts->emplace_back((*ids)[i], static_cast<int32_t>(j - i));
    i = j;
  }
}

// Build() works on contiguous ranges of documents, one per thread. Keys are
// "<snowball index + 1 as a byte><folded word>", so each distinct surface form
// is stemmed once per shard rather than once per occurrence.
struct Shard {
  int32_t begin = 0;
  int32_t end = 0;
  std::vector<std::string> keys;  // distinct keys, first-seen order
  // Per document (CSR): (key id, tf) after tokenising, then (term id, tf)
  // sorted by term id after RemapToTerms().
  std::vector<size_t> count_offsets;
  std::vector<std::pair<int32_t, int32_t>> counts;
  std::vector<int32_t> key_terms;  // key id -> term id
  // Per document (CSR): the final vector, (term id, weight) sorted by term id.
  std::vector<size_t> vector_offsets;
  std::vector<int32_t> vector_terms;
  std::vector<float> vector_weights;
};

// The first kDetectionBytes of `text`, cut at a UTF-8 character boundary:
// enough for cld2, which would otherwise cost as much as tokenising.
std::string_view Head(std::string_view text) {
  if (text.size() <= kDetectionBytes) return text;
  size_t end = kDetectionBytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

// What a document's words are compared by: its stop words and stemmer.
struct DocumentLanguage {
  const StopWords::Set* stop = nullptr;
  int snowball = -1;
};

// The hint when given; else cld2 when reliable; else the language whose
// stop words the text uses decisively more than any other's; else none (no
// stop words, no stemming).
DocumentLanguage LanguageOf(const ContentDocument& doc, const StopWords& stop_words,
                            const LanguageVote& vote) {
  std::string language = CanonicalLanguage(doc.language);
  if (language.empty()) {
    const std::string_view head = Head(doc.text);
    LanguageGuess guess = DetectLanguage(head);
    if (guess.reliable) {
      language = std::move(guess.code);
    } else {
      thread_local std::vector<std::string> words;
      FoldedWords(head, &words);
      language = vote.Decide(words);
    }
  }
  return {stop_words.ForLanguage(language), SnowballIndex(language)};
}

void Tokenize(const std::vector<ContentDocument>& docs, const StopWords& stop_words,
              const LanguageVote& vote, Shard* shard) {
  absl::flat_hash_map<std::string, int32_t> key_ids;
  std::vector<int32_t> ids;
  std::string key;
  shard->count_offsets.push_back(0);
  for (int32_t d = shard->begin; d < shard->end; ++d) {
    const ContentDocument& doc = docs[d];
    const DocumentLanguage language = LanguageOf(doc, stop_words, vote);
    ids.clear();
    ForEachWord(doc.text, language.stop, [&](const std::string& word) {
      key.assign(1, static_cast<char>(language.snowball + 1));
      key.append(word);
      auto [it, inserted] = key_ids.try_emplace(key, static_cast<int32_t>(shard->keys.size()));
      if (inserted) shard->keys.push_back(key);
      ids.push_back(it->second);
    });
    AppendCounts(&ids, &shard->counts);
    shard->count_offsets.push_back(shard->counts.size());
  }
}

// Rewrites counts from key ids to term ids, merging keys with the same stem.
void RemapToTerms(Shard* shard) {
  std::vector<std::pair<int32_t, int32_t>> doc;
  size_t out = 0;
  for (size_t d = 0; d + 1 < shard->count_offsets.size(); ++d) {
    doc.assign(shard->counts.begin() + shard->count_offsets[d],
               shard->counts.begin() + shard->count_offsets[d + 1]);
    for (auto& [id, tf] : doc) id = shard->key_terms[id];
    std::sort(doc.begin(), doc.end());
    shard->count_offsets[d] = out;
    for (size_t i = 0; i < doc.size(); ++i) {
      if (i > 0 && doc[i].first == doc[i - 1].first) {
        shard->counts[out - 1].second += doc[i].second;
      } else {
        shard->counts[out++] = doc[i];
      }
    }
  }
  shard->count_offsets.back() = out;
  shard->counts.resize(out);
}

// Weighted (idf[t] == 0: dropped), pruned and L2-normalised vectors.
void Vectorize(const std::vector<double>& idf, size_t max_terms, Shard* shard) {
  std::vector<std::pair<int32_t, double>> weights;
  shard->vector_offsets.push_back(0);
  for (size_t d = 0; d + 1 < shard->count_offsets.size(); ++d) {
    weights.clear();
    for (size_t i = shard->count_offsets[d]; i < shard->count_offsets[d + 1]; ++i) {
      const auto [term, tf] = shard->counts[i];
      if (idf[term] > 0.0) weights.emplace_back(term, (1.0 + std::log(tf)) * idf[term]);
    }
    if (weights.size() > max_terms) {
      auto heavier = [](const auto& a, const auto& b) {
        return a.second != b.second ? a.second > b.second : a.first < b.first;
      };
      std::nth_element(weights.begin(), weights.begin() + max_terms, weights.end(), heavier);
      weights.resize(max_terms);
      std::sort(weights.begin(), weights.end());
    }
    double norm = 0.0;
    for (const auto& [term, w] : weights) norm += w * w;
    norm = std::sqrt(norm);
    for (const auto& [term, w] : weights) {
      shard->vector_terms.push_back(term);
      shard->vector_weights.push_back(static_cast<float>(w / norm));
    }
    shard->vector_offsets.push_back(shard->vector_terms.size());
  }
}

// Runs fn(shard) for every shard, shard 0 on the calling thread.
template <typename Fn>
void ForEachShard(std::vector<Shard>* shards, Fn fn) {
  std::vector<std::thread> threads;
  for (size_t s = 1; s < shards->size(); ++s) threads.emplace_back([&, s] { fn(&(*shards)[s]); });
  fn(&(*shards)[0]);
  for (std::thread& t : threads) t.join();
}

// The vote over the process-wide stop words, built once.
const LanguageVote& DefaultStopWordVote() {
  static const LanguageVote* const vote = [] {
    auto* v = new LanguageVote();
    v->AddStopWords(StopWords::Default());
    return v;
  }();
  return *vote;
}

}  // namespace

std::vector<std::string> ContentTokens(std::string_view text, std::string_view language) {
  std::vector<std::string> tokens;
  const int snowball = SnowballIndex(language);
  std::string stem;
  ForEachWord(text, StopWords::Default().ForLanguage(language), [&](const std::string& word) {
    Stem(snowball, word, &stem);
    tokens.push_back(stem);
  });
  return tokens;
}

TfidfIndex TfidfIndex::Build(const std::vector<ContentDocument>& docs,
                             const TfidfOptions& options) {
  TfidfIndex index;
  const int32_t n = static_cast<int32_t>(docs.size());
  index.num_docs_ = n;

  // Tokenising (ICU, cld2, Snowball) is nearly all of the cost, so it runs
  // on several threads; the result does not depend on their number.
  const int32_t num_shards = std::clamp<int32_t>(
      std::min<int32_t>(static_cast<int32_t>(std::thread::hardware_concurrency()),
                        n / kMinDocumentsPerThread),
      1, kMaxThreads);
  std::vector<Shard> shards(num_shards);
  for (int32_t s = 0; s < num_shards; ++s) {
    shards[s].begin = static_cast<int32_t>(static_cast<int64_t>(n) * s / num_shards);
    shards[s].end = static_cast<int32_t>(static_cast<int64_t>(n) * (s + 1) / num_shards);
  }
  const StopWords& stop_words =
      options.stop_words != nullptr ? *options.stop_words : StopWords::Default();
  std::unique_ptr<LanguageVote> own_vote;
  if (options.stop_words != nullptr) {
    own_vote = std::make_unique<LanguageVote>();
    own_vote->AddStopWords(*options.stop_words);
  }
  const LanguageVote& vote = own_vote != nullptr ? *own_vote : DefaultStopWordVote();
  ForEachShard(&shards, [&](Shard* shard) { Tokenize(docs, stop_words, vote, shard); });

  // Term ids in order of first occurrence in the corpus: walking the shards
  // in order sees keys in the same order one thread would have.
  absl::flat_hash_map<std::string, int32_t> term_ids;
  std::vector<std::string> terms;
  std::string stem;
  for (Shard& shard : shards) {
    shard.key_terms.reserve(shard.keys.size());
    for (const std::string& key : shard.keys) {
      Stem(static_cast<unsigned char>(key[0]) - 1, std::string_view(key).substr(1), &stem);
      auto [it, inserted] = term_ids.try_emplace(stem, static_cast<int32_t>(terms.size()));
      if (inserted) terms.push_back(stem);
      shard.key_terms.push_back(it->second);
    }
    shard.keys = {};
  }
  term_ids = {};
  ForEachShard(&shards, [](Shard* shard) { RemapToTerms(shard); });

  std::vector<int32_t> df(terms.size(), 0);
  for (const Shard& shard : shards) {
    for (const auto& [term, tf] : shard.counts) ++df[term];
  }
  const int min_df = std::max(options.min_document_frequency, 1);
  const bool cap_df = n >= 10 && options.max_document_ratio < 1.0;
  const double max_df = options.max_document_ratio * n;
  std::vector<double> idf(terms.size(), 0.0);  // 0 marks a dropped term
  for (size_t t = 0; t < terms.size(); ++t) {
    if (df[t] < min_df || (cap_df && df[t] > max_df)) continue;
    idf[t] = std::log((1.0 + n) / (1.0 + df[t])) + 1.0;
  }

  const size_t max_terms = options.max_terms_per_document > 0
                               ? static_cast<size_t>(options.max_terms_per_document)
                               : SIZE_MAX;
  ForEachShard(&shards, [&](Shard* shard) {
    Vectorize(idf, max_terms, shard);
    shard->counts = {};
  });

  // Concatenate the shards' vectors; keep only terms some vector uses,
  // renumbered in first-seen order (so every vector stays sorted).
  std::vector<int32_t> postings_per_term(terms.size(), 0);
  index.doc_offsets_.reserve(docs.size() + 1);
  index.doc_offsets_.push_back(0);
  for (Shard& shard : shards) {
    const size_t base = index.doc_terms_.size();
    for (size_t d = 1; d < shard.vector_offsets.size(); ++d) {
      index.doc_offsets_.push_back(base + shard.vector_offsets[d]);
    }
    index.doc_terms_.insert(index.doc_terms_.end(), shard.vector_terms.begin(),
                            shard.vector_terms.end());
    index.doc_weights_.insert(index.doc_weights_.end(), shard.vector_weights.begin(),
                              shard.vector_weights.end());
    shard = Shard();
  }
  for (int32_t term : index.doc_terms_) ++postings_per_term[term];
  std::vector<int32_t> new_id(terms.size(), -1);
  index.posting_offsets_.push_back(0);
  for (size_t t = 0; t < terms.size(); ++t) {
    if (postings_per_term[t] == 0) continue;
    new_id[t] = static_cast<int32_t>(index.terms_.size());
    index.terms_.push_back(std::move(terms[t]));
    index.posting_offsets_.push_back(index.posting_offsets_.back() + postings_per_term[t]);
  }
  for (int32_t& term : index.doc_terms_) term = new_id[term];

  // Postings by counting sort; walking documents in order sorts each list by doc.
  index.posting_docs_.resize(index.doc_terms_.size());
  index.posting_weights_.resize(index.doc_terms_.size());
  std::vector<size_t> fill(index.posting_offsets_.begin(), index.posting_offsets_.end() - 1);
  for (int32_t d = 0; d < n; ++d) {
    for (size_t i = index.doc_offsets_[d]; i < index.doc_offsets_[d + 1]; ++i) {
      const size_t slot = fill[index.doc_terms_[i]]++;
      index.posting_docs_[slot] = d;
      index.posting_weights_[slot] = index.doc_weights_[i];
    }
  }
  return index;
}

std::vector<ScoredDocument> TfidfIndex::Similar(int32_t doc, int k) const {
  std::vector<ScoredDocument> result;
  if (doc < 0 || doc >= num_docs_ || k <= 0) return result;

  // Dense accumulator reused across calls; only touched entries are reset.
  // All weights are positive, so a zero entry has not been touched yet.
  thread_local std::vector<float> scores;
  thread_local std::vector<int32_t> touched;
  if (scores.size() < static_cast<size_t>(num_docs_)) scores.resize(num_docs_, 0.0f);
  touched.clear();
  for (size_t i = doc_offsets_[doc]; i < doc_offsets_[doc + 1]; ++i) {
    const float w = doc_weights_[i];
    const int32_t term = doc_terms_[i];
    for (size_t p = posting_offsets_[term]; p < posting_offsets_[term + 1]; ++p) {
      const int32_t other = posting_docs_[p];
      if (scores[other] == 0.0f) touched.push_back(other);
      scores[other] += w * posting_weights_[p];
    }
  }
  for (int32_t other : touched) {
    // Rounding can push a duplicate's cosine a hair above 1.
    if (other != doc && scores[other] > 0.0f) {
      result.push_back({other, std::min(scores[other], 1.0f)});
    }
    scores[other] = 0.0f;
  }
  auto better = [](const ScoredDocument& a, const ScoredDocument& b) {
    return a.score != b.score ? a.score > b.score : a.doc < b.doc;
  };
  if (result.size() > static_cast<size_t>(k)) {
    std::partial_sort(result.begin(), result.begin() + k, result.end(), better);
    result.resize(k);
  } else {
    std::sort(result.begin(), result.end(), better);
  }
  return result;
}

std::vector<float> TfidfIndex::ScoreProfile(
    const std::vector<std::pair<int32_t, float>>& weighted_docs) const {
  std::vector<float> scores(num_docs_, 0.0f);

  // The profile as a sparse vector: gather, sort by term, merge.
  std::vector<std::pair<int32_t, double>> profile;
  for (const auto& [doc, weight] : weighted_docs) {
    if (doc < 0 || doc >= num_docs_ || !std::isfinite(weight) || weight == 0.0f) continue;
    for (size_t i = doc_offsets_[doc]; i < doc_offsets_[doc + 1]; ++i) {
      profile.emplace_back(doc_terms_[i], static_cast<double>(weight) * doc_weights_[i]);
    }
  }
  std::sort(profile.begin(), profile.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  size_t merged = 0;
  for (size_t i = 0; i < profile.size();) {
    double sum = 0.0;
    size_t j = i;
    for (; j < profile.size() && profile[j].first == profile[i].first; ++j)
      sum += profile[j].second;
    profile[merged++] = {profile[i].first, sum};
    i = j;
  }
  profile.resize(merged);

  double norm = 0.0;
  for (const auto& [term, w] : profile) norm += w * w;
  norm = std::sqrt(norm);
  if (!(norm > 0.0) || !std::isfinite(norm)) return scores;  // zero (e.g. cancelled) profile

  for (const auto& [term, w] : profile) {
    if (w == 0.0) continue;
    const float unit = static_cast<float>(w / norm);
    for (size_t p = posting_offsets_[term]; p < posting_offsets_[term + 1]; ++p) {
      scores[posting_docs_[p]] += unit * posting_weights_[p];
    }
  }
  for (float& s : scores) s = std::clamp(s, -1.0f, 1.0f);
  return scores;
}

std::vector<std::string> TfidfIndex::Terms(int32_t doc) const {
  std::vector<std::string> result;
  if (doc < 0 || doc >= num_docs_) return result;
  std::vector<std::pair<float, const std::string*>> weighted;
  for (size_t i = doc_offsets_[doc]; i < doc_offsets_[doc + 1]; ++i) {
    weighted.emplace_back(doc_weights_[i], &terms_[doc_terms_[i]]);
  }
  std::sort(weighted.begin(), weighted.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : *a.second < *b.second;
  });
  result.reserve(weighted.size());
  for (const auto& [w, term] : weighted) result.push_back(*term);
  return result;
}

}  // namespace tailor::text
