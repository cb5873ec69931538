#!/usr/bin/env node
// Turns the Amazon Musical Instruments reviews (one JSON object per line)
// into the evaluation inputs: texts.txt (reviewText + " " + summary, line
// breaks replaced by spaces, one review per line) and stars.txt (`overall`).
//
//   node tools/sentiment_eval/extract_reviews.js \
//       /work/shared/data/amazon-musical-instruments/Musical_Instruments.json /tmp/sentiment_eval
'use strict';
const fs = require('fs');
const path = require('path');

const [input, outDir] = process.argv.slice(2);
if (!input || !outDir) {
  process.stderr.write('usage: extract_reviews.js <Musical_Instruments.json> <out-dir>\n');
  process.exit(2);
}
const texts = [];
const stars = [];
for (const line of fs.readFileSync(input, 'utf8').split('\n')) {
  if (line.trim() === '') continue;
  const review = JSON.parse(line);
  if (typeof review.overall !== 'number') continue;
  const text = `${review.reviewText || ''} ${review.summary || ''}`.replace(/[\r\n]+/g, ' ');
  texts.push(text);
  stars.push(review.overall);
}
fs.mkdirSync(outDir, {recursive: true});
fs.writeFileSync(path.join(outDir, 'texts.txt'), texts.join('\n') + '\n');
fs.writeFileSync(path.join(outDir, 'stars.txt'), stars.join('\n') + '\n');
process.stderr.write(`${texts.length} reviews -> ${outDir}\n`);
