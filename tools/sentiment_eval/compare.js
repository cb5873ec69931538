#!/usr/bin/env node
// Compares sentiment outputs (JSON lines with compound/positive/neutral/
// negative) with star ratings and with each other.
//
//   node tools/sentiment_eval/compare.js --stars stars.txt \
//       --run cpp=cpp.jsonl --run js=js.jsonl [--agree cpp,js] [--json]
//
// Per run: Pearson and Spearman correlation of compound with stars, and the
// 3-class macro F1 (stars 1-2 negative, 3 neutral, 4-5 positive; compound
// >= 0.05 positive, <= -0.05 negative, else neutral, VADER's convention).
// Per --agree pair: the fraction of texts whose compound differs by < 1e-3
// AND whose class is the same, the largest compound difference, and the
// largest difference of positive/neutral/negative.
'use strict';
const fs = require('fs');

const args = process.argv.slice(2);
const runs = [];
const pairs = [];
let starsPath = null;
let asJson = false;
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--stars') starsPath = args[++i];
  else if (args[i] === '--run') {
    const [name, file] = args[++i].split('=');
    runs.push({name, file});
  } else if (args[i] === '--agree') pairs.push(args[++i].split(','));
  else if (args[i] === '--json') asJson = true;
  else {
    process.stderr.write(`unknown argument ${args[i]}\n`);
    process.exit(2);
  }
}

const readLines = (file) => fs.readFileSync(file, 'utf8').split('\n').filter((l) => l !== '');
const stars = starsPath ? readLines(starsPath).map(Number) : null;
const data = {};
for (const run of runs) {
  data[run.name] = readLines(run.file).map((l) => JSON.parse(l));
  if (stars && data[run.name].length !== stars.length) {
    process.stderr.write(`${run.name}: ${data[run.name].length} results for ${stars.length} stars\n`);
    process.exit(1);
  }
}

function pearson(x, y) {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

function ranks(x) {  // average ranks for ties
  const idx = x.map((v, i) => i).sort((a, b) => x[a] - x[b]);
  const r = new Array(x.length);
  for (let i = 0; i < idx.length;) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

const starClass = (s) => (s <= 2 ? 'neg' : s === 3 ? 'neu' : 'pos');
const compoundClass = (c) => (c >= 0.05 ? 'pos' : c <= -0.05 ? 'neg' : 'neu');

function macroF1(truth, pred) {
  const f1s = {};
  for (const c of ['neg', 'neu', 'pos']) {
    let tp = 0, fp = 0, fn = 0;
    for (let i = 0; i < truth.length; i++) {
      if (pred[i] === c && truth[i] === c) tp++;
      else if (pred[i] === c) fp++;
      else if (truth[i] === c) fn++;
    }
    const p = tp + fp ? tp / (tp + fp) : 0;
    const r = tp + fn ? tp / (tp + fn) : 0;
    f1s[c] = p + r ? (2 * p * r) / (p + r) : 0;
  }
  return {macro: (f1s.neg + f1s.neu + f1s.pos) / 3, per_class: f1s};
}

const report = {texts: stars ? stars.length : null, runs: {}, agreement: {}};
for (const run of runs) {
  // No score (supported: false, compound null) counts as neutral, 0.
  const compound = data[run.name].map((o) => o.compound ?? 0);
  const entry = {};
  if (stars) {
    entry.pearson = pearson(compound, stars);
    entry.spearman = pearson(ranks(compound), ranks(stars));
    const f1 = macroF1(stars.map(starClass), compound.map(compoundClass));
    entry.macro_f1 = f1.macro;
    entry.f1_per_class = f1.per_class;
  }
  entry.unscored = data[run.name].filter((o) => o.supported === false).length;
  entry.scored_not_english = data[run.name].filter((o) => o.supported === true && o.language !== 'en').length;
  report.runs[run.name] = entry;
}
for (const [a, b] of pairs) {
  const x = data[a], y = data[b];
  let agree = 0, maxCompound = 0, maxParts = 0, worst = -1;
  for (let i = 0; i < x.length; i++) {
    const cx = x[i].compound ?? 0, cy = y[i].compound ?? 0;
    const d = Math.abs(cx - cy);
    if (d < 1e-3 && compoundClass(cx) === compoundClass(cy)) agree++;
    if (d > maxCompound) { maxCompound = d; worst = i; }
    for (const k of ['positive', 'neutral', 'negative']) {
      maxParts = Math.max(maxParts, Math.abs((x[i][k] ?? 0) - (y[i][k] ?? 0)));
    }
  }
  report.agreement[`${a} vs ${b}`] = {
    texts: x.length, agreeing: agree, fraction: agree / x.length,
    max_compound_diff: maxCompound, max_proportion_diff: maxParts,
    worst_line: worst >= 0 ? worst + 1 : null,
  };
}

if (asJson) {
  process.stdout.write(JSON.stringify(report, null, 2) + '\n');
} else {
  const f = (v, d = 4) => (v === undefined || v === null ? '-' : v.toFixed(d));
  process.stdout.write('| run | Pearson | Spearman | macro F1 | F1 neg / neu / pos | unscored | scored, not English |\n');
  process.stdout.write('|---|---|---|---|---|---|---|\n');
  for (const [name, e] of Object.entries(report.runs)) {
    const pc = e.f1_per_class ? `${f(e.f1_per_class.neg, 3)} / ${f(e.f1_per_class.neu, 3)} / ${f(e.f1_per_class.pos, 3)}` : '-';
    process.stdout.write(`| ${name} | ${f(e.pearson)} | ${f(e.spearman)} | ${f(e.macro_f1)} | ${pc} | ${e.unscored} | ${e.scored_not_english} |\n`);
  }
  if (pairs.length) {
    process.stdout.write('\n| pair | agreeing (|diff| < 1e-3, same class) | max compound diff | max pos/neu/neg diff | worst line |\n');
    process.stdout.write('|---|---|---|---|---|\n');
    for (const [name, a] of Object.entries(report.agreement)) {
      process.stdout.write(`| ${name} | ${a.agreeing} / ${a.texts} (${(100 * a.fraction).toFixed(2)}%) | ${f(a.max_compound_diff)} | ${f(a.max_proportion_diff, 3)} | ${a.worst_line} |\n`);
    }
  }
}
