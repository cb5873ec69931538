#include "serving/content_corpus.h"

#include <gtest/gtest.h>

#include "serving/engine.h"
#include "storage/temp_store_for_test.h"

namespace tailor::serving {
namespace {

text::ContentDocument Doc(const std::string& text) { return {text, "en"}; }

std::vector<text::ContentDocument> Catalogue() {
  return {Doc("guitar strings nylon"), Doc("piano keys ivory"), Doc("drum sticks maple"),
          Doc("violin bow rosin")};
}

TEST(ContentCorpusTest, AnUpsertIsInTheIndexAfterTheNextRefresh) {
  TenantState state;
  ModelRegistry registry(nullptr, 1, state);
  ContentCorpus corpus(registry);
  corpus.Replace(Catalogue(), corpus.Generation());
  EXPECT_EQ(registry.Current()->content, nullptr);  // built on first use
  corpus.Refresh();
  std::shared_ptr<const text::TfidfIndex> first = registry.Current()->content;
  ASSERT_NE(first, nullptr);
  EXPECT_EQ(first->size(), 4);

  corpus.Upsert(4, Doc("nylon guitar strings classical"));
  corpus.Refresh();
  std::shared_ptr<const text::TfidfIndex> second = registry.Current()->content;
  ASSERT_EQ(second->size(), 5);
  std::vector<text::ScoredDocument> similar = second->Similar(4, 1);
  ASSERT_EQ(similar.size(), 1u);
  EXPECT_EQ(similar[0].doc, 0);

  corpus.Refresh();  // nothing changed: the same index
  EXPECT_EQ(registry.Current()->content, second);
}

TEST(ContentCorpusTest, AFullReplaceKeepsDocumentsWrittenWhileItWasRead) {
  TenantState state;
  ModelRegistry registry(nullptr, 1, state);
  ContentCorpus corpus(registry);
  int64_t since = corpus.Generation();  // a rebuild starts reading the store
  corpus.Upsert(4, Doc("nylon guitar strings classical"));  // committed meanwhile
  corpus.Replace(Catalogue(), since);   // the store read did not see it
  corpus.Refresh();
  ASSERT_EQ(registry.Current()->content->size(), 5);
  EXPECT_FALSE(registry.Current()->content->Terms(4).empty());

  corpus.Replace(Catalogue(), corpus.Generation());  // a later read is authoritative
  corpus.Refresh();
  EXPECT_EQ(registry.Current()->content->size(), 5);
  EXPECT_TRUE(registry.Current()->content->Terms(4).empty());
}

domain::Item Item(const std::string& id, const std::string& text) {
  domain::Item item;
  item.id = id;
  item.title = id;
  item.text = text;
  return item;
}

// The engine loads the catalogue's documents with the tenant and adds each
// committed item: no content job runs here.
TEST(EngineContentTest, ACommittedItemIsInTheContentIndexAtOnce) {
  storage::TempStoreForTest db("content");
  storage::WriteBatch batch;
  for (const auto& [id, text] : std::vector<std::pair<std::string, std::string>>{
           {"guitar", "guitar strings nylon"}, {"piano", "piano keys ivory"},
           {"drums", "drum sticks maple"}, {"violin", "violin bow rosin"}}) {
    batch.PutItem(Item(id, text));
  }
  ASSERT_TRUE(db.store().WriteSync(db.tenant(), std::move(batch)).ok());
  Engine engine(db.store(), {});
  ASSERT_TRUE(engine.LoadAll().ok());
  TenantRuntime& t = **engine.Tenant(db.tenant());
  t.content.Refresh();
  ASSERT_NE(t.registry.Current()->content, nullptr);
  EXPECT_EQ(t.registry.Current()->content->size(), 4);

  engine.OnItemsCommitted(db.tenant(), {Item("classical", "nylon guitar strings classical")});
  t.content.Refresh();
  std::shared_ptr<const text::TfidfIndex> index = t.registry.Current()->content;
  ASSERT_EQ(index->size(), 5);
  std::vector<text::ScoredDocument> similar = index->Similar(*t.state.ItemIndex("classical"), 1);
  ASSERT_EQ(similar.size(), 1u);
  EXPECT_EQ(similar[0].doc, *t.state.ItemIndex("guitar"));
}

}  // namespace
}  // namespace tailor::serving
