#!/usr/bin/env bash
# PAN 2013 text alignment on ../shared/data/pan13-dev: align every pair, then score.
# Usage: bench/pan13.sh [extra textreuse pan options]   (run from the repository root)
set -euo pipefail
DATA=${PAN13:-../shared/data/pan13-dev}
OUT=${OUT:-out/pan13}
TR=${TEXTREUSE:-.venv/bin/textreuse}
rm -rf "$OUT"
echo "== textreuse pan $DATA/pairs ($(wc -l < "$DATA/pairs") pairs) on $(nproc) cores"
start=$(date +%s.%N)
"$TR" pan "$DATA/pairs" "$DATA/src" "$DATA/susp" "$OUT" "$@"
end=$(date +%s.%N)
echo "wall time: $(echo "$end - $start" | bc) s"
"$TR" evaluate "$DATA" "$OUT"
