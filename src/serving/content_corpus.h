// ContentCorpus: the documents behind a tenant's content (TF-IDF) index, one
// per item index, kept current by item writes so that a new item is in the
// index as soon as it is committed, not at the next scheduled rebuild.
//
//   ContentCorpus corpus(registry);
//   corpus.Upsert(*state.ItemIndex(item.id), ContentDocumentOf(item));  // on a write
//   corpus.Refresh();  // before a read: rebuilds and publishes if anything changed
//   registry.Current()->content->Similar(index, 10);
//
// TF-IDF weights depend on every document (idf), so a change rebuilds the
// whole index; the rebuild is deferred to the next Refresh() so that a bulk
// import of many batches costs one rebuild, paid by the first read after it
// (O(catalogue text), milliseconds for thousands of items). The corpus holds
// the documents' text in memory.
//
// Thread-safe: all methods may be called concurrently. Refresh() builds
// outside the documents' lock, so writes (on the store's thread) never wait
// for a build; concurrent Refresh() calls build once, the others wait for it.
#ifndef TAILOR_SERVING_CONTENT_CORPUS_H_
#define TAILOR_SERVING_CONTENT_CORPUS_H_

#include <cstdint>
#include <memory>
#include <vector>

#include "domain/item.h"
#include "models/text/tfidf_index.h"
#include "serving/model_registry.h"

namespace tailor::serving {

// An item's document: title, text, tags and categories on separate lines,
// with the item's language (region dropped) as the hint.
text::ContentDocument ContentDocumentOf(const domain::Item& item);

class ContentCorpus {
 public:
  // Publishes into `registry` (SetContent), which must outlive the corpus.
  explicit ContentCorpus(ModelRegistry& registry) : registry_(registry) {}

  // The number of writes so far; pass it to Replace() to keep the documents
  // written after it was read.
  int64_t Generation() const;
  // Replaces every document (document i is item index i) with `docs`, except
  // those upserted after `since` (a Generation() taken before `docs` were
  // read: they are newer). The index is rebuilt by the next Refresh().
  void Replace(std::vector<text::ContentDocument> docs, int64_t since);
  // Sets the document of item `index` (growing the corpus with empty
  // documents as needed); the index is rebuilt by the next Refresh().
  // Negative indexes are ignored.
  void Upsert(int32_t index, text::ContentDocument doc);
  // Rebuilds and publishes the index when documents changed since the last
  // build; otherwise returns at once.
  void Refresh();

 private:
  ModelRegistry& registry_;
  absl::Mutex build_mu_
      ABSL_ACQUIRED_BEFORE(mu_);  // held by Refresh() from its check to its publication
  mutable absl::Mutex mu_;
  // Immutable documents, shared with a build in progress.
  std::vector<std::shared_ptr<const text::ContentDocument>> docs_ ABSL_GUARDED_BY(mu_);
  // The generation of each doc's last Upsert.
  std::vector<int64_t> written_at_ ABSL_GUARDED_BY(mu_);
  int64_t generation_ ABSL_GUARDED_BY(mu_) = 0;
  bool dirty_ ABSL_GUARDED_BY(mu_) = false;
};

}  // namespace tailor::serving

#endif  // TAILOR_SERVING_CONTENT_CORPUS_H_
