#!/usr/bin/env bash
# Checks that HuggingFace loads the tokenizer.json files Glossa writes back, and encodes with
# them as with the originals: every tokenizer of the parity fixtures is written back by
# `glossa tokenizer convert`, then HF's `encode` (single texts with and without special tokens,
# pairs) and `decode` are compared between the original and the written file.
#   scripts/check-tokenizer-writing.sh [PYTHON]   (a Python with HF tokenizers installed)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build --product glossa >/dev/null 2>&1
glossa=$(swift build --show-bin-path 2>/dev/null)/glossa
"$python" - "$work" <<'PY'
import json, sys
for name in ["pipeline_cases", "post_processor_cases", "sentencepiece_bpe_cases"]:
    for i, case in enumerate(json.load(open(f"Tests/GlossaTextTests/Fixtures/{name}.json"))):
        json.dump(case["tokenizer"], open(f"{sys.argv[1]}/{name}_{i}.json", "w"))
PY
for file in "$work"/*.json; do "$glossa" tokenizer convert "$file" --output "${file%.json}.written"; done
RUST_BACKTRACE=0 "$python" - "$work" 2>/dev/null <<'PY'
import glob, sys
from tokenizers import Tokenizer
texts = ["The newest [MASK] turn text into vectors.", "", "  two  spaces,  then <mask>  one ",
         "Café 🙂 and 東京 with e\u0301 accents\tand\u0007bells", "a <mask> b<mask>c <|eot|> glossa Glossa"]
pairs = [("The newest networks", "turn text into [MASK] vectors, newest of all."), ("", "x"),
         ("Café 🙂 <mask> 東京", "  spaces  <|eot|> glossa")]
def encode(tokenizer, *arguments, **options):
    try:
        e = tokenizer.encode(*arguments, **options)
        return (e.ids, e.offsets, e.type_ids, e.attention_mask, [o.ids for o in e.overflowing],
                tokenizer.decode(e.ids))
    except BaseException as error:  # noqa: B036 (HF's refusals are Rust panics)
        return str(error)
files = sorted(glob.glob(sys.argv[1] + "/*.json"))
differences = 0
for path in files:
    original, written = Tokenizer.from_file(path), Tokenizer.from_file(path[:-5] + ".written")
    calls = [((t,), {"add_special_tokens": add}) for t in texts for add in (True, False)] + [(p, {}) for p in pairs]
    for arguments, options in calls:
        if encode(original, *arguments, **options) != encode(written, *arguments, **options):
            differences += 1
            print("differs:", path, arguments, options)
print(f"{len(files)} tokenizers written back and loaded by HuggingFace: {differences} differences")
sys.exit(1 if differences else 0)
PY
