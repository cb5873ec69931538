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
  std::lock_guard lock(mu_);
  return generation_;
}

void ContentCorpus::Replace(std::vector<text::ContentDocument> docs, int64_t since) {
  std::lock_guard lock(mu_);
  if (docs.size() < docs_.size()) docs.resize(docs_.size());
  for (size_t i = 0; i < docs_.size(); ++i) {
    if (written_at_[i] > since) docs[i] = std::move(docs_[i]);
  }
  written_at_.resize(docs.size(), 0);
  docs_ = std::move(docs);
  dirty_ = true;
}

void ContentCorpus::Upsert(int32_t index, text::ContentDocument doc) {
  if (index < 0) return;
  std::lock_guard lock(mu_);
  if (static_cast<size_t>(index) >= docs_.size()) {
    docs_.resize(index + 1);
    written_at_.resize(index + 1, 0);
  }
  docs_[index] = std::move(doc);
  written_at_[index] = ++generation_;
  dirty_ = true;
}

void ContentCorpus::Refresh() {
  std::lock_guard lock(mu_);
  if (dirty_) BuildLocked();
}

void ContentCorpus::BuildLocked() {
  registry_.SetContent(std::make_shared<const text::TfidfIndex>(text::TfidfIndex::Build(docs_)));
  dirty_ = false;
}

}  // namespace tailor::serving
