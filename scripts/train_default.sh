#!/usr/bin/env bash
# Reproduces the shipped default model resources/models/dotakv-compact.h5 (model card:
# resources/models/README.md). Every stage is resumable: re-run the script after an interruption.
# Data, checkpoints and evaluations live outside the repository, in $DOTAKV_CACHE
# (default ~/.cache/dotakv). EPOCHS (default 6) is the total number of epochs of the run.
#   bash scripts/train_default.sh            # dataset -> test set -> train/resume -> evaluate -> ship
#   SHIP=0 bash scripts/train_default.sh     # everything but copying the model into resources/
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${DOTAKV_CACHE:-$HOME/.cache/dotakv}
EPOCHS=${EPOCHS:-6}
SHIP=${SHIP:-1}
BIN=build/release/bin
cmake --preset release >/dev/null
cmake --build --preset release --target dotakv dotakv-report >/dev/null
# idle OpenMP threads sleep instead of spinning (the loop has serial phases between batches)
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}
mkdir -p "$CACHE"
# 5,000 training samples (seed 1) and a held-out test set of 250 from a seed never used in training
$BIN/dotakv dataset --n 5000 --seed 1 --primaries 50000 --out "$CACHE/train_5000.h5"
$BIN/dotakv dataset --n 250 --seed 777 --primaries 200000 --out "$CACHE/test_250.h5"
# stage 1: one epoch on the water phantoms only (energy is the only thing that varies there)
WATER="$CACHE/stage_water32"
[[ -f $WATER/model.h5 ]] ||
  $BIN/dotakv train --data "$CACHE/train_5000.h5" --config compact --out "$WATER" --kinds water \
    --epochs 1 --batch 8 --optimizer adamw --lr 1e-3 --warmup 50 --weight-decay 1e-4 --max-val 30
# stage 2: all phantoms, starting from stage 1
RUN="$CACHE/run_compact"
resume=()
[[ -f $RUN/last.h5 ]] && resume=(--resume)
$BIN/dotakv train --data "$CACHE/train_5000.h5" --config compact --init "$WATER/model.h5" \
  --out "$RUN" --epochs "$EPOCHS" --batch 8 --optimizer adamw --adam-eps 1e-12 --lr 1e-3 \
  --warmup 50 --schedule step --step-epochs 2 --gamma 0.5 --weight-decay 1e-4 --max-val 60 \
  --seed 1 "${resume[@]}"
$BIN/dotakv-report --history "$RUN/history.csv" --png "$RUN/history.png" --title "dotakv-compact training"
$BIN/dotakv evaluate --model "$RUN/model.h5" --data "$CACHE/test_250.h5" --quiet \
  --json-out "$RUN/evaluation.json" | tee "$RUN/evaluation.txt"
if [[ $SHIP == 1 ]]; then
  cp "$RUN/model.h5" resources/models/dotakv-compact.h5
  cp "$RUN/history.png" docs/screenshots/training_history.png
  echo "shipped resources/models/dotakv-compact.h5"
fi
