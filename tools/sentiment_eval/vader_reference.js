#!/usr/bin/env node
// Reference scores from the npm package vader-sentiment (its own JavaScript
// implementation), one JSON object per input line, in the same shape as
// `tailor sentiment --json` (without the language fields).
//
//   node tools/sentiment_eval/vader_reference.js [--translate-emoji] < texts.txt > js.jsonl
//
// --translate-emoji replaces emoji by their names (npm unicode-emoji-json)
// with exactly the rule of src/models/text/emoji_translation.h before
// scoring; the C++ analyzer does this by default. Without it the text goes
// to vader-sentiment unchanged (compare with `tailor sentiment --reference`).
// Timing of the scoring loop alone goes to stderr as JSON.
'use strict';
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..', '..');
const vader = require(path.join(repoRoot, 'node_modules', 'vader-sentiment'));

const translate = process.argv.includes('--translate-emoji');
let emoji = null;
if (translate) {
  const data = require(path.join(repoRoot, 'node_modules', 'unicode-emoji-json', 'data-by-emoji.json'));
  emoji = new Map();
  for (const [key, entry] of Object.entries(data)) {
    const cps = [...key].filter((c) => c !== '\ufe0f');
    if (cps.length === 1 && cps[0].codePointAt(0) >= 0x80 && typeof entry.name === 'string') {
      emoji.set(cps[0], entry.name);
    }
  }
}

function isModifier(cp) {
  return cp === 0xfe0e || cp === 0xfe0f || cp === 0x200d || (cp >= 0x1f3fb && cp <= 0x1f3ff);
}

function translateEmoji(text) {
  if (!/[^\x00-\x7f]/.test(text)) return text;
  let out = '';
  let prevSpace = true;
  let translated = false;
  for (const ch of text) {
    const name = emoji.get(ch);
    if (name !== undefined) {
      if (!prevSpace) out += ' ';
      out += name;
      prevSpace = false;
      translated = true;
      continue;
    }
    const cp = ch.codePointAt(0);
    if (cp >= 0x80 && isModifier(cp)) continue;
    out += ch;
    prevSpace = ch === ' ';
  }
  return translated ? out.trim() : text;
}

const input = fs.readFileSync(0, 'utf8');
const lines = input.split('\n');
if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();

const out = new Array(lines.length);
const start = process.hrtime.bigint();
for (let i = 0; i < lines.length; i++) {
  let text = lines[i];
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (translate) text = translateEmoji(text);
  const s = vader.SentimentIntensityAnalyzer.polarity_scores(text);
  out[i] = {compound: s.compound, positive: s.pos, neutral: s.neu, negative: s.neg};
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
process.stdout.write(out.map((o) => JSON.stringify(o)).join('\n') + (out.length ? '\n' : ''));
process.stderr.write(JSON.stringify({
  implementation: 'npm vader-sentiment',
  texts: lines.length,
  scoring_seconds: seconds,
  texts_per_second: seconds > 0 ? lines.length / seconds : null,
}) + '\n');
