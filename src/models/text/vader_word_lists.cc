#include "models/text/vader_word_lists.h"

namespace tailor::text::vader {

const absl::flat_hash_map<absl::string_view, double>& Boosters() {
  static const auto* const kMap = new absl::flat_hash_map<absl::string_view, double>{
      {"absolutely", kBoostIncrement},   {"amazingly", kBoostIncrement},
      {"awfully", kBoostIncrement},      {"completely", kBoostIncrement},
      {"considerably", kBoostIncrement}, {"decidedly", kBoostIncrement},
      {"deeply", kBoostIncrement},       {"effing", kBoostIncrement},
      {"enormously", kBoostIncrement},   {"entirely", kBoostIncrement},
      {"especially", kBoostIncrement},   {"exceptionally", kBoostIncrement},
      {"extremely", kBoostIncrement},    {"fabulously", kBoostIncrement},
      {"flipping", kBoostIncrement},     {"flippin", kBoostIncrement},
      {"fricking", kBoostIncrement},     {"frickin", kBoostIncrement},
      {"frigging", kBoostIncrement},     {"friggin", kBoostIncrement},
      {"fully", kBoostIncrement},        {"fucking", kBoostIncrement},
      {"greatly", kBoostIncrement},      {"hella", kBoostIncrement},
      {"highly", kBoostIncrement},       {"hugely", kBoostIncrement},
      {"incredibly", kBoostIncrement},   {"intensely", kBoostIncrement},
      {"majorly", kBoostIncrement},      {"more", kBoostIncrement},
      {"most", kBoostIncrement},         {"particularly", kBoostIncrement},
      {"purely", kBoostIncrement},       {"quite", kBoostIncrement},
      {"really", kBoostIncrement},       {"remarkably", kBoostIncrement},
      {"so", kBoostIncrement},           {"substantially", kBoostIncrement},
      {"thoroughly", kBoostIncrement},   {"totally", kBoostIncrement},
      {"tremendously", kBoostIncrement}, {"uber", kBoostIncrement},
      {"unbelievably", kBoostIncrement}, {"unusually", kBoostIncrement},
      {"utterly", kBoostIncrement},      {"very", kBoostIncrement},
      {"almost", kBoostDecrement},       {"barely", kBoostDecrement},
      {"hardly", kBoostDecrement},       {"kinda", kBoostDecrement},
      {"kindof", kBoostDecrement},       {"kind-of", kBoostDecrement},
      {"less", kBoostDecrement},         {"little", kBoostDecrement},
      {"marginally", kBoostDecrement},   {"occasionally", kBoostDecrement},
      {"partly", kBoostDecrement},       {"scarcely", kBoostDecrement},
      {"slightly", kBoostDecrement},     {"somewhat", kBoostDecrement},
      {"sorta", kBoostDecrement},        {"sortof", kBoostDecrement},
      {"sort-of", kBoostDecrement}};
  return *kMap;
}

const absl::flat_hash_set<absl::string_view>& NegationWords() {
  static const auto* const kSet = new absl::flat_hash_set<absl::string_view>{
      "aint",   "arent",    "cannot",  "cant",     "couldnt",  "darent",   "didnt",   "doesnt",
      "ain't",  "aren't",   "can't",   "couldn't", "daren't",  "didn't",   "doesn't", "dont",
      "hadnt",  "hasnt",    "havent",  "isnt",     "mightnt",  "mustnt",   "neither", "don't",
      "hadn't", "hasn't",   "haven't", "isn't",    "mightn't", "mustn't",  "neednt",  "needn't",
      "never",  "none",     "nope",    "nor",      "not",      "nothing",  "nowhere", "oughtnt",
      "shant",  "shouldnt", "uhuh",    "wasnt",    "werent",   "oughtn't", "shan't",  "shouldn't",
      "uh-uh",  "wasn't",   "weren't", "without",  "wont",     "wouldnt",  "won't",   "wouldn't",
      "rarely", "seldom",   "despite"};
  return *kSet;
}

}  // namespace tailor::text::vader
