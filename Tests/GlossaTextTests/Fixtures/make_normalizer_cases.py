"""Makes normalizer_cases.json: what HuggingFace's normalizers (`Strip`, `ByteLevel`,
`Prepend`, `Replace` of a string, and a `Sequence`) make of a few texts, each as the
tokenizer.json fragment HuggingFace writes and the normalized string. Run with HuggingFace
tokenizers installed (0.23.3 made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_normalizer_cases.py
"""
import json
import os

from tokenizers import Tokenizer, models, normalizers

TEXTS = ["", "  two  spaces, then a tab\t", "\u3000ideographic space\u00a0", "café 東京 🙂\n", "--x--"]
NORMALIZERS = [
    normalizers.Strip(left=True, right=True),
    normalizers.Strip(left=True, right=False),
    normalizers.Strip(left=False, right=True),
    normalizers.ByteLevel(),
    normalizers.Prepend("▁"),
    normalizers.Replace("--", "—"),
    normalizers.Replace(" ", "▁"),
    normalizers.Sequence([normalizers.Strip(), normalizers.Replace(" ", "▁"), normalizers.Prepend("▁")]),
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
