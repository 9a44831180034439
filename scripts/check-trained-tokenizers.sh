#!/usr/bin/env bash
# Checks that HuggingFace encodes with the tokenizer.json files `glossa tokenizer train` writes
# as Glossa does: each kind is trained on the first 896 reviews of the movie-review data, then
# 300 held-out reviews are encoded by `glossa tokenize --tokenizer FILE --ids` and by HF's
# `encode`, and the lines with the same ids are counted. The lecture's separate end-of-word
# symbol (`--end-of-word _`) is checked too: HF has no form of it, so it is expected to differ.
#   scripts/check-trained-tokenizers.sh [PYTHON]   (a Python with HF tokenizers installed)
set -euo pipefail
cd "$(dirname "$0")/.."
python=${1:-python3}
data=${GLOSSA_DATA:-../shared/data}/sentiment-movie-reviews/train.tsv
[ -f "$data" ] || { echo "skipped: $data is absent" >&2; exit 0; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
swift build --product glossa >/dev/null 2>&1
glossa=$(swift build --show-bin-path 2>/dev/null)/glossa
cut -f2 "$data" | sed -n '1,896p' > "$work/train.txt"
cut -f2 "$data" | sed -n '897,1196p' > "$work/held-out.txt"
for kind in bpe "bpe _" byte-bpe wordpiece unigram wordlevel; do
  set -- $kind
  name=${1}${2:+-lecture}
  "$glossa" tokenizer train --model "$1" ${2:+--end-of-word "$2"} --vocab-size 2000 --special "[UNK]" \
    --output "$work/$name.json" "$work/train.txt" 2>/dev/null
  "$glossa" tokenize --tokenizer "$work/$name.json" --ids < "$work/held-out.txt" > "$work/$name.glossa"
  "$python" - "$work/$name.json" "$work/held-out.txt" "$work/$name.glossa" "$name" <<'PY'
import sys
from tokenizers import Tokenizer
tokenizer = Tokenizer.from_file(sys.argv[1])
lines = open(sys.argv[2], encoding="utf-8").read().split("\n")[:-1]
glossa = open(sys.argv[3]).read().split("\n")[:-1]
same = sum(" ".join(map(str, tokenizer.encode(line).ids)) == ids for line, ids in zip(lines, glossa))
print(f"{sys.argv[4]}: {same} of {len(lines)} held-out lines encoded the same by HuggingFace")
PY
done
