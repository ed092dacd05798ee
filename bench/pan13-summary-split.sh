#!/usr/bin/env bash
# PAN 2013 summary obfuscation (05) on ../shared/data/pan13-dev, split in two: the first
# SPLIT pairs of its `pairs` file (development) and the rest (held out), scored apart.
# Usage (from the repository root): bash bench/pan13-summary-split.sh [textreuse pan options]
# Pass DET=DIR to score detections already made for all of pan13-dev (e.g. out/pan13/det).
set -euo pipefail
DATA=${PAN13:-../shared/data/pan13-dev}
OUT=${OUT:-out/pan13-summary}
TR=${TEXTREUSE:-.venv/bin/textreuse}
SPLIT=${SPLIT:-300}
CAT="$DATA/05-summary-obfuscation"
rm -rf "$OUT"
mkdir -p "$OUT"
head -n "$SPLIT" "$CAT/pairs" > "$OUT/dev.pairs"
tail -n +"$((SPLIT + 1))" "$CAT/pairs" > "$OUT/held-out.pairs"
for part in dev held-out; do
  mkdir -p "$OUT/truth-$part"
  while read -r susp src; do
    ln -s "$(cd "$CAT" && pwd)/${susp%.txt}-${src%.txt}.xml" "$OUT/truth-$part/"
  done < "$OUT/$part.pairs"
done
DET=${DET:-}
if [ -z "$DET" ]; then
  DET="$OUT/det"
  cat "$OUT/dev.pairs" "$OUT/held-out.pairs" > "$OUT/pairs"
  "$TR" pan "$OUT/pairs" "$DATA/src" "$DATA/susp" "$DET" "$@"
fi
for part in dev held-out; do
  mkdir -p "$OUT/det-$part"
  while read -r susp src; do
    f="${susp%.txt}-${src%.txt}.xml"
    if [ -e "$DET/$f" ]; then ln -s "$(cd "$DET" && pwd)/$f" "$OUT/det-$part/"; fi
  done < "$OUT/$part.pairs"
  echo "== 05-summary-obfuscation, $part ($(wc -l < "$OUT/$part.pairs") pairs)"
  "$TR" evaluate "$OUT/truth-$part" "$OUT/det-$part" | sed -n '1,2p;$p' 
done
