#!/usr/bin/env bash
# PAN 2013 text alignment on ../shared/data/pan13-dev: align pairs with `textreuse pan`, then score.
# Usage (from the repository root):
#   bash bench/pan13.sh [textreuse pan options]        # every pair, e.g. --mode lexical
#   LIMIT=15 bash bench/pan13.sh [options]             # the first 15 pairs of each category
set -euo pipefail
DATA=${PAN13:-../shared/data/pan13-dev}
OUT=${OUT:-out/pan13}
TR=${TEXTREUSE:-.venv/bin/textreuse}
LIMIT=${LIMIT:-}
rm -rf "$OUT"
mkdir -p "$OUT"
PAIRS="$DATA/pairs"
TRUTH="$DATA"
if [ -n "$LIMIT" ]; then
  # A subset: the first LIMIT pairs of each category, with a truth folder of just those pairs.
  TRUTH="$OUT/truth"
  PAIRS="$OUT/pairs"
  : > "$PAIRS"
  for cat in "$DATA"/0*/; do
    name=$(basename "$cat")
    mkdir -p "$TRUTH/$name"
    head -n "$LIMIT" "$cat/pairs" | tee -a "$PAIRS" | while read -r susp src; do
      ln -s "$(cd "$cat" && pwd)/${susp%.txt}-${src%.txt}.xml" "$TRUTH/$name/"
    done
  done
fi
echo "== textreuse pan $* ($(wc -l < "$PAIRS") pairs) on $(nproc) cores"
start=$(date +%s.%N)
"$TR" pan "$PAIRS" "$DATA/src" "$DATA/susp" "$OUT/det" "$@"
end=$(date +%s.%N)
echo "wall time: $(echo "$end - $start" | bc) s"
"$TR" evaluate "$TRUTH" "$OUT/det"
