// Content-based similarity between items, for items without interactions
// ("cold" items): each document (an item's title, text, tags, categories) is a
// sparse TF-IDF vector of stemmed terms, and similarity is the cosine of two
// such vectors.
//
//   std::vector<tailor::text::ContentDocument> docs = {
//       {"Nylon guitar strings, warm tone", "en"},
//       {"Guitar strings with a warm nylon sound", "en"},
//       {"Saitenset für Konzertgitarre aus Nylon", "de"}};
//   tailor::text::TfidfIndex index = tailor::text::TfidfIndex::Build(docs);
//   for (const tailor::text::ScoredDocument& s : index.Similar(0, 10)) { ... }  // doc 1 first
//
// Weights: sublinear tf (1 + ln tf) times smoothed idf (ln((1+N)/(1+df)) + 1),
// where N is the number of documents and df a term's document frequency; the
// vector of each document is L2-normalised after pruning (TfidfOptions).
//
// A built index is immutable: every const method is thread-safe (scratch
// space is thread_local). Queries touch only the postings of the query's
// terms, not every document.
#ifndef TAILOR_MODELS_TEXT_TFIDF_INDEX_H_
#define TAILOR_MODELS_TEXT_TFIDF_INDEX_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "models/text/stop_words.h"

namespace tailor::text {

struct TfidfOptions {
  // Terms that occur in fewer documents are dropped (values below 1 act as 1).
  int min_document_frequency = 1;
  // Terms that occur in more than this share of the documents are dropped, but
  // only when the index holds at least 10 documents (on a handful of
  // documents every shared word would look "too common"). >= 1 disables.
  double max_document_ratio = 0.5;
  // Each document keeps only its highest-weighted terms (ties: the term seen
  // first in the corpus). <= 0 keeps all.
  int max_terms_per_document = 200;
  // Stop words by language; null: StopWords::Default() (npm stopwords-iso).
  // Must outlive Build().
  const StopWords* stop_words = nullptr;
};

struct ContentDocument {
  std::string text;  // UTF-8; caller concatenates title, text, tags, categories
  // BCP 47 hint ("de", also "de-AT"); empty: cld2 on the first 4 KB of
  // text when it is reliable, else the language whose stop words the text
  // uses decisively more than any other's (language_vote.h), else none.
  // The language chooses the stop words (stop_words.h) and the stemmer.
  std::string language;
};

struct ScoredDocument {
  int32_t doc;  // index into the documents given to Build()
  float score;  // cosine similarity in [-1, 1] (in [0, 1] for Similar())
};

class TfidfIndex {
 public:
  TfidfIndex() = default;  // empty index, size() == 0

  // Document i of `docs` becomes document i of the index. A document with no
  // surviving terms (empty, only stop words, pruned) has a zero vector: it is
  // similar to nothing. Large inputs (thousands of documents) are tokenised on
  // up to hardware_concurrency() threads (at most 8); the index does not
  // depend on the number of threads. At most 2^31 - 1 documents.
  static TfidfIndex Build(const std::vector<ContentDocument>& docs,
                          const TfidfOptions& options = {});

  int32_t size() const { return num_docs_; }

  // The k documents most similar to `doc` by cosine of the TF-IDF vectors,
  // excluding `doc` itself and documents with score 0; sorted by decreasing
  // score, ties by smaller index. Empty for an out-of-range doc or k <= 0.
  std::vector<ScoredDocument> Similar(int32_t doc, int k) const;

  // Cosine similarity between every document and the profile
  // sum_i w_i * vec(doc_i). Out-of-range docs and non-finite weights are
  // ignored; negative weights are allowed (scores may then be negative).
  // Returns size() floats, 0 for documents sharing no term with the profile
  // (all 0 when the profile is the zero vector). Profile documents are scored
  // too; the caller drops those it has already shown.
  std::vector<float> ScoreProfile(
      const std::vector<std::pair<int32_t, float>>& weighted_docs) const;

  // The stemmed terms that survived pruning for `doc`, by decreasing weight
  // (ties alphabetically). Empty for an out-of-range doc.
  std::vector<std::string> Terms(int32_t doc) const;

 private:
  // CSR layout. Document d owns entries [doc_offsets_[d], doc_offsets_[d+1])
  // of doc_terms_/doc_weights_, sorted by term id; term t owns postings
  // [posting_offsets_[t], posting_offsets_[t+1]) of posting_docs_/
  // posting_weights_, sorted by doc. Weights are of the normalised vectors.
  std::vector<std::string> terms_;
  std::vector<size_t> doc_offsets_;  // num_docs_ + 1 entries once built
  std::vector<int32_t> doc_terms_;
  std::vector<float> doc_weights_;
  std::vector<size_t> posting_offsets_;
  std::vector<int32_t> posting_docs_;
  std::vector<float> posting_weights_;
  int32_t num_docs_ = 0;
};

// Tokenises UTF-8 `text` into word tokens (word_tokens.h: ICU word
// boundaries, case folding), drops the stop words of `language`
// (StopWords::Default(): 59 languages), and stems with Snowball for the
// 29 languages of snowball_stem.h (en, de, fr, es, it, pt, nl, ru, ar, el...).
// `language` is a BCP 47 tag, case-insensitive, region suffixes ("en-GB",
// "pt_BR") ignored. Other or empty languages keep every word unstemmed (no
// detection here: Build() does that for documents without a hint).
// Thread-safe.
std::vector<std::string> ContentTokens(std::string_view text, std::string_view language);

}  // namespace tailor::text

#endif  // TAILOR_MODELS_TEXT_TFIDF_INDEX_H_
