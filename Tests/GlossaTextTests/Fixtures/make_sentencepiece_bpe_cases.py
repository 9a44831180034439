"""Makes sentencepiece_bpe_cases.json: tokenizers built the way Llama-2 and Mistral files are
(BPE with byte fallback and fused unknowns, no pre-tokenizer, a Prepend("▁") + Replace(" ", "▁")
normalizer, a Replace / ByteFallback / Fuse / Strip decoder, "<s> $A"), trained here on a few
lines, and what HuggingFace's `encode` and `decode` give for texts with characters outside
the vocabulary (emoji, CJK, accents). Run with HuggingFace tokenizers installed (0.23.3 made
the committed file):

    python Tests/GlossaTextTests/Fixtures/make_sentencepiece_bpe_cases.py
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, normalizers, processors, trainers

CORPUS = [
    "The lecture walks from a single neuron to recurrent networks.",
    "Tokenizers turn text into ids; embeddings turn ids into vectors.",
    "low lower newest widest, and the newest of them all.",
] * 20
TEXTS = [
    "The newest networks turn text into vectors.",
    "",
    " two  spaces, then a tab\tand a newline\n",
    "café, naïve, 東京, and an emoji 🙂 or two 🙂🙂!",
    "unknown letters: qqq zzz xxx",
]


def sentencepiece_bpe(byte_fallback, fuse_unk):
    trained = Tokenizer(models.BPE(unk_token="<unk>"))
    trained.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    trained.train_from_iterator(CORPUS, trainers.BpeTrainer(vocab_size=420, special_tokens=["<unk>", "<s>", "</s>"]))
    model = json.loads(trained.to_str())["model"]
    # The 256 byte tokens as ordinary vocabulary entries, as sentencepiece's byte-fallback
    # models (Llama 2, Mistral) carry them.
    vocab = dict(model["vocab"])
    for b in range(256):
        vocab[f"<0x{b:02X}>"] = len(vocab)
    merges = [tuple(m) if isinstance(m, list) else tuple(m.split(" ")) for m in model["merges"]]
    tokenizer = Tokenizer(models.BPE(vocab, merges, unk_token="<unk>", byte_fallback=byte_fallback, fuse_unk=fuse_unk))
    tokenizer.add_special_tokens(["<unk>", "<s>", "</s>"])
    tokenizer.normalizer = trained.normalizer
    tokenizer.decoder = decoders.Sequence([
        decoders.Replace("▁", " "), decoders.ByteFallback(), decoders.Fuse(), decoders.Strip(" ", 1, 0),
    ])
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A", special_tokens=[("<s>", tokenizer.token_to_id("<s>"))])
    return tokenizer


def case(name, tokenizer):
    encodings = []
    for text in TEXTS:
        e = tokenizer.encode(text)
        encodings.append({
            "text": text, "ids": e.ids, "tokens": e.tokens, "offsets": e.offsets,
            "decoded": tokenizer.decode(e.ids, skip_special_tokens=True),
        })
    return {"name": name, "tokenizer": json.loads(tokenizer.to_str()), "encodings": encodings}


cases = [
    case("byte fallback, fused unknowns", sentencepiece_bpe(True, True)),
    case("no byte fallback, fused unknowns", sentencepiece_bpe(False, True)),
    case("no byte fallback, an unknown token each", sentencepiece_bpe(False, False)),
]
path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "sentencepiece_bpe_cases.json")
with open(path, "w", encoding="utf-8") as f:
    json.dump(cases, f, ensure_ascii=False, indent=None, separators=(",", ":"))
    f.write("\n")
