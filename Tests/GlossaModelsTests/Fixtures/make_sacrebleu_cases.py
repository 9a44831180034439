#!/usr/bin/env python3
"""Writes sacrebleu_cases.json: hand-made hypotheses and references (punctuation, digits,
hyphens, HTML entities, accents, odd whitespace, empty and short hypotheses, several
reference streams) and perturbed translations of 80 Spanish lines of
parallel-en-es-bible/train-short.tsv, with sacreBLEU's 13a tokenization of each string and
its default corpus BLEU and chrF (scores, statistics and signatures).

  pip install sacrebleu==2.6.0 && python make_sacrebleu_cases.py ../../../../shared/data
"""
import json, random, sys
import sacrebleu
from sacrebleu.metrics import BLEU, CHRF
from sacrebleu.tokenizers.tokenizer_13a import Tokenizer13a

hand = [
    (["The cat sat on the mat."], [["The cat sat on the mat."]]),
    (["The cat is on the mat."], [["There is a cat on the mat."]]),
    (["It costs 3.5 dollars, or 1,000 cents.", "A well-known 2-3 split; (really)!"],
     [["It costs 3.50 dollars, or 1,000 cents.", "A well known 2 - 3 split (really)!"]]),
    (["Tom &amp; Jerry said &quot;hi&quot; &lt;b&gt;", "<skipped> line-\nbreak here"],
     [["Tom & Jerry said \"hi\" <b>", "linebreak here"]]),
    (["El niño comió\tla  manzana\u00a0roja.", "¿Dónde está?\u2003Aquí.\x1c"],
     [["El niño comió la manzana roja.", "¿Dónde estás? Aquí."]]),
    (["short"], [["a much longer reference sentence than the hypothesis"]]),
    (["", "only this one"], [["an empty hypothesis", "only this one counts"]]),
    (["a b c d e f", "g h"], [["a b x d e y", "g h i j k"]]),
    (["the the the the the the the"], [["The cat is on the mat."]]),
    (["And God said, Let there be light.", "In the beginning."],
     [["And God said: Let there be light!", "In the beginning God created."],
      ["God said, let there be light.", "In the beginning"]]),
    (["x.y,z 3.14.15 a.,b -5 7- 8--9 ..."], [["x . y , z 3.14.15 a . , b -5 7 - 8 - - 9 . . ."]]),
    (["Caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c9COLE", "\u65e5\u672c\u8a9e\u306e\u6587"],
     [["Cafe naive resume ECOLE", "\u65e5\u672c\u8a9e\u306e\u6587\u7ae0"]]),
]

random.seed(11)
data = sys.argv[1] if len(sys.argv) > 1 else "../../../../shared/data"
lines = open(f"{data}/parallel-en-es-bible/train-short.tsv", encoding="utf-8").read().splitlines()
spanish = [l.split("\t")[1] for l in random.sample(lines, 80)]

def perturb(sentence):
    words = sentence.split()
    out = []
    for w in words:
        r = random.random()
        if r < 0.15:
            continue
        if r < 0.25:
            out.append(random.choice(words))
        out.append(w)
    if len(out) > 3 and random.random() < 0.3:
        i = random.randrange(len(out) - 1)
        out[i], out[i + 1] = out[i + 1], out[i]
    return " ".join(out)

corpus = ([perturb(s) for s in spanish], [spanish])
cases = []
for hypotheses, references in hand + [corpus]:
    assert all(len(stream) == len(hypotheses) for stream in references)
    bleu = BLEU()
    b = bleu.corpus_score(hypotheses, references)
    chrf = CHRF()
    c = chrf.corpus_score(hypotheses, references)
    cases.append({
        "hypotheses": hypotheses, "references": references,
        "bleu": b.score, "precisions": b.precisions, "bp": b.bp, "sys_len": b.sys_len, "ref_len": b.ref_len,
        "counts": b.counts, "totals": b.totals, "bleu_text": str(b), "bleu_signature": str(bleu.get_signature()),
        "chrf": c.score, "chrf_text": str(c), "chrf_signature": str(chrf.get_signature()),
    })
tok = Tokenizer13a()
strings = sorted({s for h, r in hand for s in h + [x for stream in r for x in stream]})
json.dump({"sacrebleu": sacrebleu.__version__, "cases": cases,
           "tokenized": [[s, tok(s)] for s in strings]},
          open("sacrebleu_cases.json", "w", encoding="utf-8"), ensure_ascii=False, indent=0)
