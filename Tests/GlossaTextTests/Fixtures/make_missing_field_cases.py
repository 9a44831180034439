"""Makes missing_field_cases.json: what HuggingFace's `Tokenizer.from_str` does with a
tokenizer.json that lacks one field, or has null for it. Every field of every component of the
fixture tokenizers (pipeline_cases.json, post_processor_cases.json, sentencepiece_bpe_cases.json,
and the `extras` made here and kept in the file, for the components those lack) is taken out in turn, then set to null, once per kind of component and field (the vocabulary's
and the merges' own entries are not). For each: whether HuggingFace loads the file and, when it
does, the ids it gives a few texts and a pair with special tokens added (null where encoding fails or
panics), so that a default it fills in is checked too. Run with HuggingFace tokenizers installed (0.23.3 made the committed file):

    python Tests/GlossaTextTests/Fixtures/make_missing_field_cases.py
"""
import json
import os

from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, trainers

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCES = ["pipeline_cases.json", "post_processor_cases.json", "sentencepiece_bpe_cases.json"]
TEXTS = ["The newest [MASK] turn text into vectors.", "  two  spaces, <mask> Café 東京 glossa<|eot|>"]
# Each text alone, then the two as a pair (where RobertaProcessing and BertProcessing differ).
INPUTS = [[TEXTS[0], None], [TEXTS[1], None], TEXTS]


def fields(node, path, kind):
    """Every (path, kind of the field) below node; kind names the stage, the component's type
    and the key (`decoder/Sequence.decoders`)."""
    if path[-1:] in (["vocab"], ["merges"]):
        return
    if isinstance(node, dict):
        here = f"{path[0]}/{node['type']}" if isinstance(node.get("type"), str) else kind
        for key, value in node.items():
            yield path + [key], f"{here}.{key}"
            yield from fields(value, path + [key], f"{here}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from fields(value, path + [index], kind)


def extras():
    """Tokenizers with the components the other fixtures lack: a word-level model behind a
    sequence of the remaining normalizers and pre-tokenizers with a CTC decoder, and one with
    the BPE decoder."""
    corpus = ["The lecture's 12 examples, word by word.", "Tokens turn-into ids: 3 of them."] * 10
    word_level = Tokenizer(models.WordLevel(unk_token="[UNK]"))
    word_level.normalizer = normalizers.Sequence([
        normalizers.Strip(), normalizers.StripAccents(), normalizers.NFC(), normalizers.NFD(), normalizers.NFKD(),
        normalizers.ByteLevel()])
    word_level.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.Punctuation(),
        pre_tokenizers.CharDelimiterSplit(" ")])
    word_level.decoder = decoders.CTC()
    word_level.train_from_iterator(corpus, trainers.WordLevelTrainer(special_tokens=["[UNK]"]))
    bpe = Tokenizer(models.BPE(unk_token="[UNK]", end_of_word_suffix="</w>"))
    bpe.pre_tokenizer = pre_tokenizers.Whitespace()
    bpe.decoder = decoders.BPEDecoder()
    bpe.train_from_iterator(corpus, trainers.BpeTrainer(special_tokens=["[UNK]"], end_of_word_suffix="</w>"))
    return [{"tokenizer": json.loads(word_level.to_str())}, {"tokenizer": json.loads(bpe.to_str())}]


def changed(tokenizer, path, operation):
    copy = json.loads(json.dumps(tokenizer))
    parent = copy
    for step in path[:-1]:
        parent = parent[step]
    if operation == "delete":
        del parent[path[-1]]
    else:
        parent[path[-1]] = None
    return copy


def main():
    cases = []
    seen = set()
    # Made once: training the same tokenizer again may number its merges' ties otherwise.
    made = extras()
    for source in SOURCES + ["extras"]:
        if source == "extras":
            tokenizers = made
        else:
            with open(os.path.join(HERE, source)) as file:
                tokenizers = json.load(file)
        for index, entry in enumerate(tokenizers):
            tokenizer = entry["tokenizer"]
            for path, kind in fields(tokenizer, [], "tokenizer"):
                for operation in ("delete", "null"):
                    if (kind, operation) in seen:
                        continue
                    seen.add((kind, operation))
                    text = json.dumps(changed(tokenizer, path, operation))
                    try:
                        loaded = Tokenizer.from_str(text)
                    except BaseException as error:  # An exception for a bad file, or a Rust panic.
                        cases.append({"source": source, "index": index, "path": path, "operation": operation,
                                      "kind": kind, "loads": False, "error": str(error)})
                        continue
                    ids = []
                    for text, pair in INPUTS:
                        try:
                            ids.append(loaded.encode(text, pair).ids)
                        except BaseException:  # A Rust panic too (a template naming a token it lacks).
                            ids.append(None)
                    cases.append({"source": source, "index": index, "path": path, "operation": operation,
                                  "kind": kind, "loads": True, "ids": ids})
    with open(os.path.join(HERE, "missing_field_cases.json"), "w") as file:
        json.dump({"inputs": INPUTS, "extras": [entry["tokenizer"] for entry in made], "cases": cases}, file,
                  ensure_ascii=False, indent=0)
        file.write("\n")
    print(len(cases), "cases,", sum(not case["loads"] for case in cases), "refused")


if __name__ == "__main__":
    main()
