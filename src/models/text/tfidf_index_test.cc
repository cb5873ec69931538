#include "models/text/tfidf_index.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cmath>
#include <fstream>
#include <map>
#include <string>
#include <thread>
#include <vector>

namespace tailor::text {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;

std::vector<int32_t> Docs(const std::vector<ScoredDocument>& scored) {
  std::vector<int32_t> docs;
  for (const ScoredDocument& s : scored) docs.push_back(s.doc);
  return docs;
}

TEST(ContentTokensTest, EnglishIsStemmed) {
  EXPECT_THAT(ContentTokens("running runs", "en"), ElementsAre("run", "run"));
  EXPECT_THAT(ContentTokens("Connected connections", "en"), ElementsAre("connect", "connect"));
}

TEST(ContentTokensTest, GermanIsStemmedWithGermanRules) {
  EXPECT_THAT(ContentTokens("Häuser des Hauses", "de"), ElementsAre("haus", "haus"));
  // The English stemmer leaves the plural alone: the language hint matters.
  EXPECT_THAT(ContentTokens("Häuser", "en"), ElementsAre("häuser"));
}

TEST(ContentTokensTest, EachLanguageDropsItsOwnStopWords) {
  if (StopWords::Default().empty()) GTEST_SKIP() << "npm stopwords-iso missing (npm ci)";
  EXPECT_THAT(ContentTokens("The cat and the hat", "en"), ElementsAre("cat", "hat"));
  EXPECT_THAT(ContentTokens("Ein Buch für die Küche und den Garten", "de"),
              ElementsAre("buch", "kuch", "gart"));
  EXPECT_THAT(ContentTokens("Un livre de recettes et des conseils pour la cuisine", "fr"),
              ElementsAre("livr", "recet", "conseil", "cuisin"));
  // Another language's stop words are words.
  EXPECT_THAT(ContentTokens("the cat", "de"), ElementsAre("the", "cat"));
}

TEST(ContentTokensTest, UnknownOrEmptyLanguageIsNotStemmed) {
  EXPECT_THAT(ContentTokens("The running dogs", ""), ElementsAre("the", "running", "dogs"));
  EXPECT_THAT(ContentTokens("The running dogs", "xx"), ElementsAre("the", "running", "dogs"));
  EXPECT_THAT(ContentTokens("The running dogs", "eng"), ElementsAre("the", "running", "dogs"));
}

TEST(ContentTokensTest, LanguageCodesIgnoreCaseAndRegion) {
  EXPECT_THAT(ContentTokens("running", "EN-gb"), ElementsAre("run"));
  EXPECT_THAT(ContentTokens("Häuser", "de_AT"), ElementsAre("haus"));
}

TEST(ContentTokensTest, WordsAreSplitAndCaseFolded) {
  EXPECT_THAT(ContentTokens("Hello, WORLD!! 42 -- Straße :-) ÉCOLE", ""),
              ElementsAre("hello", "world", "42", "strasse", "école"));
  EXPECT_THAT(ContentTokens("", "en"), IsEmpty());
  EXPECT_THAT(ContentTokens(" ... !? \xF0\x9F\x8E\xB8 ", "en"), IsEmpty());
}

TEST(ContentTokensTest, InvalidUtf8SplitsWords) {
  EXPECT_THAT(ContentTokens("gui\xFFtar", ""), ElementsAre("gui", "tar"));
}

// A small catalogue where documents 0 and 3 describe the same product.
std::vector<ContentDocument> Catalogue() {
  return {
      {"Nylon classical guitar strings with a warm, mellow tone", "en"},
      {"Heavy steel drum sticks for rock drummers", "en"},
      {"Condenser microphone pop filter for studio vocal recording", "en"},
      {"Warm mellow nylon strings for classical guitars", "en"},
      {"Electric guitar cable, ten feet, gold plugs", "en"},
      {"Snare drum head, coated, fourteen inch", "en"},
  };
}

TEST(TfidfIndexTest, SimilarRanksNearDuplicateFirst) {
  const TfidfIndex index = TfidfIndex::Build(Catalogue());
  ASSERT_EQ(index.size(), 6);

  const std::vector<ScoredDocument> similar = index.Similar(0, 10);
  ASSERT_FALSE(similar.empty());
  EXPECT_EQ(similar[0].doc, 3);
  EXPECT_GT(similar[0].score, 0.5f);
  // Only the other guitar item shares a term (guitar); drums and the
  // microphone share none and are left out rather than scored 0.
  EXPECT_THAT(Docs(similar), ElementsAre(3, 4));
  EXPECT_LT(similar[1].score, similar[0].score);
  EXPECT_GT(similar[1].score, 0.0f);

  EXPECT_THAT(Docs(index.Similar(0, 1)), ElementsAre(3));
  EXPECT_THAT(Docs(index.Similar(1, 10)), ElementsAre(5));  // "drum"
}

TEST(TfidfIndexTest, SimilarBreaksTiesBySmallerIndex) {
  const TfidfIndex index = TfidfIndex::Build(
      {{"red guitar", "en"}, {"blue piano", "en"}, {"red guitar", "en"}, {"red guitar", "en"}});
  const std::vector<ScoredDocument> similar = index.Similar(2, 10);
  EXPECT_THAT(Docs(similar), ElementsAre(0, 3));
  ASSERT_EQ(similar.size(), 2u);
  EXPECT_FLOAT_EQ(similar[0].score, 1.0f);
  EXPECT_FLOAT_EQ(similar[1].score, 1.0f);
}

TEST(TfidfIndexTest, CosineFollowsTheDocumentedWeights) {
  // Unknown language: no stemming, no stop words, terms as written.
  const TfidfIndex index =
      TfidfIndex::Build({{"apple apple banana", "xx"}, {"apple cherry", "xx"}, {"durian", "xx"}});
  const double n = 3;
  const double idf_apple = std::log((1 + n) / (1 + 2)) + 1;
  const double idf_once = std::log((1 + n) / (1 + 1)) + 1;
  const double apple0 = (1 + std::log(2.0)) * idf_apple;
  const double norm0 = std::hypot(apple0, idf_once);
  const double norm1 = std::hypot(idf_apple, idf_once);
  const double expected = apple0 * idf_apple / (norm0 * norm1);

  const std::vector<ScoredDocument> similar = index.Similar(0, 5);
  ASSERT_EQ(similar.size(), 1u);
  EXPECT_EQ(similar[0].doc, 1);
  EXPECT_NEAR(similar[0].score, expected, 1e-6);
  EXPECT_THAT(index.Terms(0), ElementsAre("apple", "banana"));  // by weight
  EXPECT_THAT(index.Terms(2), ElementsAre("durian"));
}

TEST(TfidfIndexTest, ScoreProfileScoresEveryDocument) {
  const TfidfIndex index = TfidfIndex::Build(Catalogue());
  const std::vector<float> scores = index.ScoreProfile({{0, 1.0f}, {4, 0.5f}});
  ASSERT_EQ(scores.size(), 6u);
  EXPECT_GT(scores[0], scores[3]);  // profile is mostly doc 0
  EXPECT_GT(scores[3], 0.0f);
  EXPECT_FLOAT_EQ(scores[1], 0.0f);
  EXPECT_FLOAT_EQ(scores[2], 0.0f);
  EXPECT_FLOAT_EQ(scores[5], 0.0f);

  // A single-document profile reproduces Similar()'s scores.
  const std::vector<float> single = index.ScoreProfile({{0, 2.0f}});
  EXPECT_NEAR(single[0], 1.0f, 1e-6);
  for (const ScoredDocument& s : index.Similar(0, 10)) EXPECT_NEAR(single[s.doc], s.score, 1e-6);

  // A disliked document pushes its neighbours below zero.
  const std::vector<float> mixed = index.ScoreProfile({{1, 1.0f}, {3, -1.0f}});
  EXPECT_GT(mixed[5], 0.0f);
  EXPECT_LT(mixed[0], 0.0f);
}

TEST(TfidfIndexTest, ScoreProfileIgnoresInvalidEntries) {
  const TfidfIndex index = TfidfIndex::Build(Catalogue());
  EXPECT_EQ(index.ScoreProfile({{0, 1.0f}, {-1, 5.0f}, {6, 5.0f}, {1, NAN}}),
            index.ScoreProfile({{0, 1.0f}}));
  EXPECT_EQ(index.ScoreProfile({}), std::vector<float>(6, 0.0f));
  EXPECT_EQ(index.ScoreProfile({{0, 1.0f}, {0, -1.0f}}), std::vector<float>(6, 0.0f));
}

TEST(TfidfIndexTest, EmptyAndOutOfRange) {
  const TfidfIndex empty;
  EXPECT_EQ(empty.size(), 0);
  EXPECT_THAT(empty.Similar(0, 5), IsEmpty());
  EXPECT_THAT(empty.ScoreProfile({{0, 1.0f}}), IsEmpty());
  EXPECT_THAT(empty.Terms(0), IsEmpty());
  EXPECT_EQ(TfidfIndex::Build({}).size(), 0);

  const TfidfIndex index = TfidfIndex::Build(
      {{"guitar strings", "en"}, {"", "en"}, {"the and of", "en"}, {"guitar picks", "en"}});
  ASSERT_EQ(index.size(), 4);
  EXPECT_THAT(index.Similar(-1, 5), IsEmpty());
  EXPECT_THAT(index.Similar(4, 5), IsEmpty());
  EXPECT_THAT(index.Similar(0, 0), IsEmpty());
  EXPECT_THAT(index.Similar(0, -3), IsEmpty());
  EXPECT_THAT(index.Terms(4), IsEmpty());
  EXPECT_THAT(index.Terms(-1), IsEmpty());
  // Empty and all-stop-word documents have no terms and match nothing.
  EXPECT_THAT(index.Terms(1), IsEmpty());
  EXPECT_THAT(index.Terms(2), IsEmpty());
  EXPECT_THAT(index.Similar(1, 5), IsEmpty());
  EXPECT_THAT(Docs(index.Similar(0, 5)), ElementsAre(3));
}

TEST(TfidfIndexTest, LanguageIsDetectedWhenHintIsEmpty) {
  const std::string german =
      "Die Saiten klingen wirklich sehr gut und halten die Stimmung wochenlang, die Häuser "
      "der Nachbarn hören das auch.";
  const TfidfIndex detected = TfidfIndex::Build({{german, ""}});
  const TfidfIndex unstemmed = TfidfIndex::Build({{german, "xx"}});
  const std::vector<std::string> terms = detected.Terms(0);
  EXPECT_THAT(terms, ::testing::Contains("haus"));
  EXPECT_THAT(terms, ::testing::Contains("kling"));
  EXPECT_THAT(unstemmed.Terms(0), ::testing::Contains("häuser"));
  EXPECT_EQ(detected.Terms(0), TfidfIndex::Build({{german, "de"}}).Terms(0));
}

// Items of one language that share only function words ("für", "und",
// "die"; "de", "et", "des") have nothing in common.
TEST(TfidfIndexTest, StopWordsAloneDoNotMakeItemsSimilar) {
  if (StopWords::Default().empty()) GTEST_SKIP() << "npm stopwords-iso missing (npm ci)";
  const std::vector<std::string> texts = {
      "Ein Buch für die Küche und den Garten",
      "Eine Lampe für die Werkstatt und das Bad",
      "Un livre de recettes et des conseils pour la cuisine",
      "Une chaise de jardin et des coussins pour la terrasse",
  };
  const std::vector<std::string> languages = {"de", "de", "fr", "fr"};
  for (bool hinted : {true, false}) {
    std::vector<ContentDocument> docs;
    for (size_t i = 0; i < texts.size(); ++i)
      docs.push_back({texts[i], hinted ? languages[i] : ""});
    const TfidfIndex index = TfidfIndex::Build(docs);
    for (int32_t d = 0; d < index.size(); ++d) {
      EXPECT_THAT(index.Similar(d, 5), IsEmpty()) << texts[d] << (hinted ? " (tagged)" : "");
    }
  }
  // They still match on what they are about.
  const TfidfIndex index = TfidfIndex::Build({{"Ein Buch für die Küche", ""},
                                              {"Das Buch über den Garten und die Küche", ""},
                                              {"Eine Lampe für die Werkstatt", ""}});
  EXPECT_THAT(Docs(index.Similar(0, 5)), ElementsAre(1));
}

TEST(TfidfIndexTest, ExplicitStopWordsReplaceTheDefault) {
  const StopWords stop = StopWords::FromLists({{"xx", {"gadget"}}});
  TfidfOptions options;
  options.stop_words = &stop;
  const TfidfIndex index =
      TfidfIndex::Build({{"gadget red", "xx"}, {"gadget blue", "xx"}}, options);
  EXPECT_THAT(index.Similar(0, 5), IsEmpty());
  EXPECT_THAT(index.Terms(0), ElementsAre("red"));
}

TEST(TfidfIndexTest, PruningOptions) {
  std::vector<ContentDocument> docs;
  for (int i = 0; i < 10; ++i) {
    // "guitar" in every document, "amp" in two, "itemN" in one.
    docs.push_back({"guitar item" + std::to_string(i) + (i < 2 ? " amp amp amp" : ""), "xx"});
  }
  const TfidfIndex defaults = TfidfIndex::Build(docs);
  EXPECT_THAT(defaults.Terms(0), ElementsAre("amp", "item0"));  // guitar: df 10 > 0.5 * 10

  TfidfOptions keep_common;
  keep_common.max_document_ratio = 1.0;
  EXPECT_THAT(TfidfIndex::Build(docs, keep_common).Terms(0), ElementsAre("amp", "item0", "guitar"));

  TfidfOptions min_df;
  min_df.min_document_frequency = 2;
  EXPECT_THAT(TfidfIndex::Build(docs, min_df).Terms(0), ElementsAre("amp"));
  EXPECT_THAT(TfidfIndex::Build(docs, min_df).Terms(5), IsEmpty());

  TfidfOptions one_term;
  one_term.max_terms_per_document = 1;
  const TfidfIndex pruned = TfidfIndex::Build(docs, one_term);
  EXPECT_THAT(pruned.Terms(0), ElementsAre("amp"));
  EXPECT_THAT(Docs(pruned.Similar(0, 5)), ElementsAre(1));
  EXPECT_EQ(pruned.Similar(0, 5)[0].score, 1.0f);  // the kept vector is renormalised

  // Fewer than 10 documents: the ratio cap does not apply.
  docs.resize(3);
  EXPECT_THAT(TfidfIndex::Build(docs).Terms(2), ElementsAre("item2", "guitar"));
}

// Enough documents for Build() to tokenise on several threads (where there
// are several cores): the second half repeats the first, so each document's
// twin lies in another thread's share and must get identical term ids.
TEST(TfidfIndexTest, LargeBuildMatchesDuplicatesAcrossThreads) {
  const std::vector<std::string> english = {"running", "guitars", "strings", "sounds",
                                            "tuned",   "cables",  "drums",   "played"};
  const std::vector<std::string> german = {"Häuser",   "Saiten",   "klingen",  "Gitarren",
                                           "Stimmung", "Trommeln", "gespielt", "Kabel"};
  constexpr int kHalf = 3000;
  std::vector<ContentDocument> docs;
  uint32_t state = 12345;
  for (int i = 0; i < kHalf; ++i) {
    const bool de = i % 2 == 1;
    std::string text = "doc" + std::to_string(i);
    for (int w = 0; w < 6; ++w) {
      state = state * 1664525u + 1013904223u;
      text += " " + (de ? german : english)[(state >> 16) % 8];
    }
    docs.push_back({text, de ? "de" : "en"});
  }
  for (int i = 0; i < kHalf; ++i) docs.push_back(docs[i]);

  const TfidfIndex index = TfidfIndex::Build(docs);
  ASSERT_EQ(index.size(), 2 * kHalf);
  for (int32_t d = 0; d < kHalf; ++d) {
    ASSERT_EQ(index.Terms(d), index.Terms(d + kHalf)) << d;
    const std::vector<ScoredDocument> top = index.Similar(d, 1);
    ASSERT_EQ(top.size(), 1u);
    EXPECT_EQ(top[0].doc, d + kHalf);
    EXPECT_NEAR(top[0].score, 1.0f, 1e-6);
  }
  EXPECT_THAT(index.Terms(0), ::testing::Contains("doc0"));
  EXPECT_THAT(index.Terms(1), ::testing::Contains("doc1"));
}

// Musical instruments on Amazon: each item's reviews make one document.
TEST(TfidfIndexTest, AmazonReviewsAreConsistent) {
  const std::string path =
      TAILOR_SHARED_DATA "/amazon-musical-instruments/Musical_Instruments.json";
  std::ifstream in(path);
  if (!in) GTEST_SKIP() << "not found: " << path;
  std::map<std::string, std::string> text_by_item;
  for (std::string line; std::getline(in, line);) {
    const boost::json::object review = boost::json::parse(line).as_object();
    std::string& text = text_by_item[std::string(review.at("asin").as_string())];
    text += std::string(review.at("summary").as_string()) + ". " +
            std::string(review.at("reviewText").as_string()) + "\n";
  }
  std::vector<ContentDocument> docs;
  for (const auto& [item, text] : text_by_item) docs.push_back({text, ""});
  ASSERT_EQ(docs.size(), 900u);
  const TfidfIndex index = TfidfIndex::Build(docs);
  ASSERT_EQ(index.size(), 900);

  for (int32_t d = 0; d < index.size(); ++d) {
    EXPECT_FALSE(index.Terms(d).empty()) << d;
    EXPECT_LE(index.Terms(d).size(), 200u);
    const std::vector<ScoredDocument> similar = index.Similar(d, 20);
    ASSERT_EQ(similar.size(), 20u) << d;
    const std::vector<float> profile = index.ScoreProfile({{d, 1.0f}});
    EXPECT_NEAR(profile[d], 1.0f, 1e-5);
    for (size_t i = 0; i < similar.size(); ++i) {
      EXPECT_NE(similar[i].doc, d);
      EXPECT_GT(similar[i].score, 0.0f);
      EXPECT_LE(similar[i].score, 1.0f);
      if (i > 0) {
        EXPECT_GE(similar[i - 1].score, similar[i].score);
      }
      EXPECT_NEAR(profile[similar[i].doc], similar[i].score, 1e-5);
    }
    // Nothing outside the top 20 beats the 20th.
    std::vector<bool> listed(index.size(), false);
    listed[d] = true;
    for (const ScoredDocument& s : similar) listed[s.doc] = true;
    for (int32_t other = 0; other < index.size(); ++other) {
      if (listed[other]) continue;
      EXPECT_LE(profile[other], similar.back().score + 1e-5) << d << " " << other;
    }
  }

  // Concurrent queries (thread_local scratch) give the same answers.
  std::vector<std::vector<ScoredDocument>> results(2);
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      for (int32_t d = 0; d < index.size(); ++d) {
        const std::vector<ScoredDocument> s = index.Similar(d, 5);
        results[t].insert(results[t].end(), s.begin(), s.end());
      }
    });
  }
  for (std::thread& t : threads) t.join();
  ASSERT_EQ(results[0].size(), results[1].size());
  for (size_t i = 0; i < results[0].size(); ++i) {
    EXPECT_EQ(results[0][i].doc, results[1][i].doc);
    EXPECT_EQ(results[0][i].score, results[1][i].score);
  }
}

}  // namespace
}  // namespace tailor::text
