#!/usr/bin/env bash
# Score the extractor on the seeds, the whole dev set and each dev batch (d1-d5).
#   bash scripts/score_all.sh [--show-misses]
set -euo pipefail
cd "$(dirname "$0")/.."
shared="${SHARED:-../shared}"
out="${TMPDIR:-/tmp}/score_all"; mkdir -p "$out"
python3 -m extract seeds/ -o "$out/seeds.jsonl" 2>/dev/null || true
python3 -m extract "$shared/eval/dev/corpus" -o "$out/dev.jsonl" 2>/dev/null || true
echo "seeds: $(python3 "$shared/eval/score.py" --gold "$shared/eval/seeds.gold.jsonl" --pred "$out/seeds.jsonl" --gazetteer "${INCIDENT_GAZETTEER:-gazetteer.csv}" | tail -1)"
echo "dev:   $(python3 "$shared/eval/score.py" --gold "$shared/eval/dev/gold.jsonl" --pred "$out/dev.jsonl" --gazetteer "${INCIDENT_GAZETTEER:-gazetteer.csv}" | tail -1)"
for b in d1 d2 d3 d4 d5; do
  grep "\"doc\": *\"$b" "$shared/eval/dev/gold.jsonl" > "$out/gold_$b.jsonl" || true
  grep "\"doc\": *\"$b" "$out/dev.jsonl" > "$out/pred_$b.jsonl" || true
  echo "$b:    $(python3 "$shared/eval/score.py" --gold "$out/gold_$b.jsonl" --pred "$out/pred_$b.jsonl" --gazetteer "${INCIDENT_GAZETTEER:-gazetteer.csv}" | tail -1)"
done
if [[ "${1:-}" == "--show-misses" ]]; then
  python3 "$shared/eval/score.py" --gold "$shared/eval/dev/gold.jsonl" --pred "$out/dev.jsonl" --gazetteer "${INCIDENT_GAZETTEER:-gazetteer.csv}" --show-misses
fi
