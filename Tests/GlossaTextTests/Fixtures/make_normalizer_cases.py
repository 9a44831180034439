"""Makes normalizer_cases.json: what HuggingFace's normalizers (`Strip`, `ByteLevel`,
`Prepend`, `Replace` of a string or of a regular expression, and a `Sequence`) make of a few texts, each as the
tokenizer.json fragment HuggingFace writes and the normalized string. Run with HuggingFace
tokenizers installed (0.23.3 made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_normalizer_cases.py
"""
import json
import os

from tokenizers import Regex, Tokenizer, models, normalizers

TEXTS = ["", "  two  spaces, then a tab\t", "a1b22 東京", "\u3000ideographic space\u00a0", "café 東京 🙂\n", "--x--"]
NORMALIZERS = [
    normalizers.Strip(left=True, right=True),
    normalizers.Strip(left=True, right=False),
    normalizers.Strip(left=False, right=True),
    normalizers.ByteLevel(),
    normalizers.Prepend("▁"),
    normalizers.Replace("--", "—"),
    normalizers.Replace(" ", "▁"),
    normalizers.Sequence([normalizers.Strip(), normalizers.Replace(" ", "▁"), normalizers.Prepend("▁")]),
    normalizers.Replace(Regex(r"\s+"), " "),
    normalizers.Replace(Regex(r"[0-9a]|é"), ""),
    normalizers.Replace(Regex(r"(\p{Han})"), "$1 "),
]


def serialized(normalizer):
    tokenizer = Tokenizer(models.WordLevel({"x": 0}, unk_token="x"))
    tokenizer.normalizer = normalizer
    return json.loads(tokenizer.to_str())["normalizer"]


cases = {
    "texts": TEXTS,
    "normalizers": [
        {"normalizer": serialized(n), "normalized": [n.normalize_str(t) for t in TEXTS]} for n in NORMALIZERS
    ],
}
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "normalizer_cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    f.write("\n")
