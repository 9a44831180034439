#!/usr/bin/env bash
# Makes the demo's spoken digits (Sources/glossa/Demo/DemoData/digits): each of the ten digit
# words spoken alone by twelve espeak-ng voices (an accent and a variant each), at 8 kHz mono
# 16-bit (no dither: a second run makes the same bytes), the silence before and after trimmed
# by sox; and the manifest digits.tsv (path<TAB>digit). `glossa demo` strings these words into
# numbers. Needs espeak-ng and sox (scripts/setup.sh --speech installs them).
# (`en-gb+VARIANT` would ignore its variant: British English with a variant is `en+VARIANT`.)
set -euo pipefail
out=${1:-$(dirname "$0")/../Sources/glossa/Demo/DemoData}
for tool in espeak-ng sox; do
  command -v $tool >/dev/null || { echo "make-demo-digits: $tool is missing (scripts/setup.sh --speech)" >&2; exit 1; }
done
voices=(en-us+m1 en-us+f2 en+m3 en+f1 en-gb-scotland+m2 en-gb-x-rp+f3 en-029+m4 en-us-nyc+f4
  en-gb-x-gbcwmd+m7 en-gb-x-gbclan+m5 en-us+f5 en-gb-x-rp+m6)
words=(zero one two three four five six seven eight nine)
mkdir -p "$out/digits"
raw=$(mktemp --suffix .wav)
: >"$out/digits.tsv"
for voice in "${voices[@]}"; do
  for digit in 0 1 2 3 4 5 6 7 8 9; do
    name="digits/$voice-${words[$digit]}.wav"
    espeak-ng -v "$voice" -s 165 -w "$raw" "${words[$digit]}"
    # Trim the silence at both ends (below 0.5% of full scale for 5 ms).
    sox -D "$raw" -r 8000 -c 1 -b 16 "$out/$name" silence 1 0.005 0.5% reverse silence 1 0.005 0.5% reverse
    printf '%s\t%s\n' "$name" "$digit" >>"$out/digits.tsv"
  done
done
rm -f "$raw"
echo "make-demo-digits: ${#voices[@]} voices × 10 digits in $out/digits" >&2
