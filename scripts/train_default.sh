#!/usr/bin/env bash
# Reproduces the shipped default model resources/models/dotakv-compact.h5 (model card:
# resources/models/README.md). Every stage is resumable: re-run the script after an interruption.
# Data, checkpoints and evaluations live outside the repository, in $DOTAKV_CACHE
# (default ~/.cache/dotakv). EPOCHS (default 18) is the number of epochs of stage 1;
# PRECISION (default bf16) is the training compute precision (fp32 on CPUs without bf16 kernels).
#   bash scripts/train_default.sh            # dataset -> test set -> train/resume -> evaluate -> ship
#   SHIP=0 bash scripts/train_default.sh     # everything but copying the model into resources/
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${DOTAKV_CACHE:-$HOME/.cache/dotakv}
EPOCHS=${EPOCHS:-18}
PRECISION=${PRECISION:-bf16}
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
# The recipe of the shipped model (docs/training.md explains each choice), bf16 mixed precision:
# stage 1: one run on all phantom kinds from random weights with the output convolution zeroed
# (the default of `dotakv train`), AdamW, 100 warm-up steps, cosine from 3e-4 to 1e-5 over
# EPOCHS epochs
RUN1="$CACHE/run_default"
resume=()
[[ -f $RUN1/last.h5 ]] && resume=(--resume)
$BIN/dotakv train --data "$CACHE/train_5000.h5" --config compact --out "$RUN1" --epochs "$EPOCHS" \
  --batch 8 --optimizer adamw --lr 3e-4 --warmup 100 --schedule cosine --min-lr 1e-5 \
  --weight-decay 1e-4 --max-val 60 --seed 1 --precision "$PRECISION" "${resume[@]}"
# stage 2: fine-tuning from stage 1's best weights with fresh AdamW moments, 300 warm-up steps,
# cosine from 5e-5 to 1e-6 over 8 epochs (same seed, hence the same train/validation split)
RUN="$CACHE/run_finetune"
resume=()
[[ -f $RUN/last.h5 ]] && resume=(--resume)
$BIN/dotakv train --data "$CACHE/train_5000.h5" --config compact --init "$RUN1/model.h5" \
  --out "$RUN" --epochs 8 --batch 8 --optimizer adamw --lr 5e-5 --warmup 300 --schedule cosine \
  --min-lr 1e-6 --weight-decay 1e-4 --max-val 60 --seed 1 --precision "$PRECISION" "${resume[@]}"
# stages 3 and 4: the previous stage's model deepened by one transformer block that starts as the
# identity (`--init` with a deeper config: train::grow_transformer), fresh moments, 300 warm-up
# steps, cosine from 1e-4 to 1e-6 over 24 epochs
grow() {  # grow FROM_RUN TO_RUN CONFIG
  local resume=()
  [[ -f $2/last.h5 ]] && resume=(--resume)
  $BIN/dotakv train --data "$CACHE/train_5000.h5" --config "$3" --init "$1/model.h5" --out "$2" \
    --epochs 24 --batch 8 --optimizer adamw --lr 1e-4 --warmup 300 --schedule cosine \
    --min-lr 1e-6 --weight-decay 1e-4 --max-val 60 --seed 1 --precision "$PRECISION" \
    "${resume[@]}"
}
RUN2="$RUN"
RUN3="$CACHE/run_grow2"
RUN="$CACHE/run_grow3"
grow "$RUN2" "$RUN3" resources/configs/compact-2block.json
grow "$RUN3" "$RUN" resources/configs/compact-3block.json
# stage 5 (issue #15): the Monte Carlo was corrected (unbiased straggling in air and lung, ICRU 63
# nuclear halo; docs/physics.md). Stages 1-4 above ran on data of the earlier Monte Carlo
# (2026-11-30/12-01); re-running them today trains them on the corrected physics instead. Stage 5
# fine-tunes stage 4's model on 3,000 new samples (seed 1) and is judged on a new test set
# (seed 777), both from the corrected Monte Carlo: fresh AdamW moments, 100 warm-up steps, cosine
# from 5e-5 to 1e-6 over EPOCHS5 (default 6) epochs
EPOCHS5=${EPOCHS5:-6}
$BIN/dotakv dataset --n 3000 --seed 1 --primaries 50000 --out "$CACHE/train_3000_mc2.h5"
$BIN/dotakv dataset --n 250 --seed 777 --primaries 200000 --out "$CACHE/test_250_mc2.h5"
RUN4="$RUN"
RUN="$CACHE/run_mc2"
resume=()
[[ -f $RUN/last.h5 ]] && resume=(--resume)
$BIN/dotakv train --data "$CACHE/train_3000_mc2.h5" --config resources/configs/compact-3block.json \
  --init "$RUN4/model.h5" --out "$RUN" --epochs "$EPOCHS5" --batch 8 --optimizer adamw --lr 5e-5 \
  --warmup 100 --schedule cosine --min-lr 1e-6 --weight-decay 1e-4 --max-val 60 --seed 1 \
  --precision "$PRECISION" "${resume[@]}"
# then 8 more epochs from it (cosine 3e-5 -> 1e-6, 50 warm-up steps); shipped because its best
# validation loss (3.72e-6) is below the first run's (3.73e-6), the rule fixed before testing
RUN5="$RUN"
RUN="$CACHE/run_mc2b"
resume=()
[[ -f $RUN/last.h5 ]] && resume=(--resume)
$BIN/dotakv train --data "$CACHE/train_3000_mc2.h5" --config resources/configs/compact-3block.json \
  --init "$RUN5/model.h5" --out "$RUN" --epochs 8 --batch 8 --optimizer adamw --lr 3e-5 \
  --warmup 50 --schedule cosine --min-lr 1e-6 --weight-decay 1e-4 --max-val 60 --seed 1 \
  --precision "$PRECISION" "${resume[@]}"
$BIN/dotakv-report --history "$RUN1/history.csv" --png "$RUN1/history.png" --title "dotakv-compact training"
$BIN/dotakv-report --history "$RUN2/history.csv" --png "$RUN2/history.png" --title "dotakv-compact fine-tuning"
$BIN/dotakv-report --history "$RUN3/history.csv" --png "$RUN3/history.png" --title "dotakv-compact, 2 blocks"
$BIN/dotakv-report --history "$RUN4/history.csv" --png "$RUN4/history.png" --title "dotakv-compact, 3 blocks"
$BIN/dotakv-report --history "$RUN/history.csv" --png "$RUN/history.png" --title "dotakv-compact, corrected MC"
$BIN/dotakv evaluate --model "$RUN/model.h5" --data "$CACHE/test_250_mc2.h5" --quiet \
  --json-out "$RUN/evaluation.json" | tee "$RUN/evaluation.txt"
if [[ $SHIP == 1 ]]; then
  mkdir -p resources/models
  cp "$RUN/model.h5" resources/models/dotakv-compact.h5
  cp "$RUN/history.png" docs/screenshots/training_history.png
  echo "shipped resources/models/dotakv-compact.h5"
fi
