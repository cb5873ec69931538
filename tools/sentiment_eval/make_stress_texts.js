#!/usr/bin/env node
// Writes N pseudo-random short texts (seeded, reproducible) built from the
// words and marks VADER's rules react to: negations, boosters, "but",
// caps, "never so", "kind of", "least", idioms, emoticons, emoji, odd
// punctuation and Unicode whitespace. Used to check that the C++ analyzer
// and the npm JavaScript implementation agree beyond ordinary reviews.
//
//   node tools/sentiment_eval/make_stress_texts.js 20000 42 > stress.txt
'use strict';
const n = Number(process.argv[2] || 20000);
let state = BigInt(process.argv[3] || 42);
function next() {  // 64-bit LCG (Knuth MMIX), high bits
  state = (state * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
  return Number(state >> 33n) / 2 ** 31;
}
const pick = (a) => a[Math.floor(next() * a.length)];
const words = [
  'good', 'bad', 'great', 'terrible', 'love', 'hate', 'happy', 'sad', 'nice', 'awful', 'ok',
  'GOOD', 'BAD', 'Great', 'LOVE', 'not', 'Not', 'NOT', 'never', 'so', 'this', 'but', 'BUT', 'But',
  'kind', 'of', 'Kind', 'sort', 'kinda', 'least', 'at', 'very', 'VERY', 'without', 'doubt', 'a',
  'the', 'shit', 'bomb', 'ass', 'yeah', 'right', 'cut', 'mustard', 'kiss', 'death', 'hand', 'to',
  'mouth', "isn't", "don't", 'dont', 'cant', 'nope', 'barely', 'extremely', 'EXTREMELY', 'lol',
  'LOL', ':)', ':(', ':-D', ':D', '<3', ':/', 'x', 'I', 'it', 'is', 'was', 'guitar', 'strings',
  'good!', 'bad,', 'great!!', 'nice????', '(great)', '"ok"', 'love.', '!good', 'fine?!?',
  'sux', 'SUX', 'no', 'despite', 'rarely', 'uh-uh', 'kind-of', 'sort-of', 'just', 'enough',
  '😍', '😡', '👍🏽', '❤️', '😂', 'naïve', 'café', 'é', '\u212Aind', 'İ', 'Ünd',
];
const seps = [' ', ' ', ' ', ' ', '  ', '\u00a0', '\t', ', ', '. ', '! ', '? ', '\u3000'];
const out = [];
for (let i = 0; i < n; i++) {
  const len = 1 + Math.floor(next() * 14);
  let s = '';
  for (let k = 0; k < len; k++) s += (k ? pick(seps) : '') + pick(words);
  if (next() < 0.3) s += pick(['!', '!!', '!!!!!', '?', '??', '???', '?!', '.']);
  out.push(s);
}
process.stdout.write(out.join('\n') + '\n');
