#include "serving/content_corpus.h"

#include <memory>
#include <utility>

#include "common/strings.h"

namespace tailor::serving {

text::ContentDocument ContentDocumentOf(const domain::Item& item) {
  text::ContentDocument doc;
  doc.text = item.title;
  if (!item.text.empty()) doc.text += StrCat("\n", item.text);
  for (const std::string& t : item.tags) doc.text += StrCat("\n", t);
  for (const std::string& c : item.categories) doc.text += StrCat("\n", c);
  doc.language = item.language.substr(0, item.language.find('-'));
  return doc;
}

int64_t ContentCorpus::Generation() const {
  absl::MutexLock lock(&mu_);
  return generation_;
}

void ContentCorpus::Replace(std::vector<text::ContentDocument> docs, int64_t since) {
  std::vector<std::shared_ptr<const text::ContentDocument>> shared;
  shared.reserve(docs.size());
  for (text::ContentDocument& d : docs) {
    shared.push_back(std::make_shared<const text::ContentDocument>(std::move(d)));
  }
  absl::MutexLock lock(&mu_);
  if (shared.size() < docs_.size()) shared.resize(docs_.size());
  for (size_t i = 0; i < docs_.size(); ++i) {
    if (written_at_[i] > since) shared[i] = docs_[i];
  }
  written_at_.resize(shared.size(), 0);
  docs_ = std::move(shared);
  dirty_ = true;
}

void ContentCorpus::Upsert(int32_t index, text::ContentDocument doc) {
  if (index < 0) return;
  auto shared = std::make_shared<const text::ContentDocument>(std::move(doc));
  absl::MutexLock lock(&mu_);
  if (static_cast<size_t>(index) >= docs_.size()) {
    docs_.resize(index + 1);
    written_at_.resize(index + 1, 0);
  }
  docs_[index] = std::move(shared);
  written_at_[index] = ++generation_;
  dirty_ = true;
}

void ContentCorpus::Refresh() {
  // Every caller passes build_mu_, so one that arrives while another builds
  // waits for that build's publication instead of reading the older index.
  absl::MutexLock build(&build_mu_);
  std::vector<std::shared_ptr<const text::ContentDocument>> snapshot;
  {
    absl::MutexLock lock(&mu_);
    if (!dirty_) return;
    snapshot = docs_;
    dirty_ = false;
  }
  std::vector<text::ContentDocument> docs(snapshot.size());
  for (size_t i = 0; i < snapshot.size(); ++i) {
    if (snapshot[i] != nullptr) docs[i] = *snapshot[i];
  }
  registry_.SetContent(std::make_shared<const text::TfidfIndex>(text::TfidfIndex::Build(docs)));
}

}  // namespace tailor::serving
