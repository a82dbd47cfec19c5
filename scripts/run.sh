#!/usr/bin/env bash
# Installs dependencies, builds the Release preset and runs the main job on the bundled default:
# the studio on the bundled demo case; with no display available the studio runs the same job
# headless (same as `dotakv-studio --summary`): the case summary, the shipped model on the case
# with cache off/on and streaming (median, IQR and min–max of several timed runs after warm-up)
# and γ of the model dose against the Monte Carlo dose with the studio's γ defaults.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
# The studio opens the bundled demo case; without a display it runs the headless main job.
exec build/release/bin/dotakv-studio "$@"
