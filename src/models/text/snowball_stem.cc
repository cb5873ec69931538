#include "models/text/snowball_stem.h"

#include <libstemmer.h>

#include <array>
#include <memory>

namespace tailor::text {
namespace {

struct SnowballLanguage {
  std::string_view code;  // ISO 639-1
  const char* algorithm;  // libstemmer name
};

// Every algorithm of Debian's libstemmer 2.2 except "porter" (English's
// older variant). cld2 reports Norwegian Bokmål as "nb" in some builds,
// hence the aliases.
constexpr std::array<SnowballLanguage, 30> kSnowballLanguages = {{
    {"en", "english"},   {"de", "german"},     {"fr", "french"},    {"es", "spanish"},
    {"it", "italian"},   {"pt", "portuguese"}, {"nl", "dutch"},     {"sv", "swedish"},
    {"no", "norwegian"}, {"nb", "norwegian"},  {"nn", "norwegian"}, {"da", "danish"},
    {"fi", "finnish"},   {"ru", "russian"},    {"hu", "hungarian"}, {"ro", "romanian"},
    {"tr", "turkish"},   {"ar", "arabic"},     {"hy", "armenian"},  {"eu", "basque"},
    {"ca", "catalan"},   {"el", "greek"},      {"hi", "hindi"},     {"id", "indonesian"},
    {"ga", "irish"},     {"lt", "lithuanian"}, {"ne", "nepali"},    {"sr", "serbian"},
    {"ta", "tamil"},     {"yi", "yiddish"},
}};

struct StemmerDeleter {
  void operator()(sb_stemmer* s) const { sb_stemmer_delete(s); }
};

// sb_stemmer keeps its working buffer inside the object, so one per thread
// and language; created on first use. nullptr if libstemmer lacks it.
sb_stemmer* ThreadStemmer(int index) {
  thread_local std::array<std::unique_ptr<sb_stemmer, StemmerDeleter>, kSnowballLanguages.size()>
      stemmers;
  thread_local std::array<bool, kSnowballLanguages.size()> tried{};
  if (!tried[index]) {
    tried[index] = true;
    stemmers[index].reset(sb_stemmer_new(kSnowballLanguages[index].algorithm, "UTF_8"));
  }
  return stemmers[index].get();
}

}  // namespace

int SnowballIndex(std::string_view language) {
  const size_t end = language.find_first_of("-_");
  if (end != std::string_view::npos) language = language.substr(0, end);
  if (language.size() != 2) return -1;
  const char code[2] = {static_cast<char>(language[0] | 0x20),
                        static_cast<char>(language[1] | 0x20)};
  for (size_t i = 0; i < kSnowballLanguages.size(); ++i) {
    if (kSnowballLanguages[i].code == std::string_view(code, 2)) return static_cast<int>(i);
  }
  return -1;
}

void Stem(int index, std::string_view word, std::string* stem) {
  sb_stemmer* stemmer = index >= 0 && index < static_cast<int>(kSnowballLanguages.size())
                            ? ThreadStemmer(index)
                            : nullptr;
  const sb_symbol* stemmed =
      stemmer == nullptr ? nullptr
                         : sb_stemmer_stem(stemmer, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
  if (stemmed == nullptr) {  // also when libstemmer is out of memory
    stem->assign(word);
  } else {
    stem->assign(reinterpret_cast<const char*>(stemmed), sb_stemmer_length(stemmer));
  }
}

}  // namespace tailor::text
