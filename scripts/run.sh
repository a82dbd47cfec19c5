#!/usr/bin/env bash
# Installs dependencies, builds the Release preset and runs the main job on the bundled default:
# the studio on the bundled demo case; with no display available the studio prints a text
# summary of the case instead (same as `dotakv-studio --summary`).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
# The studio opens the bundled demo case; without a display it prints the case summary instead.
exec build/release/bin/dotakv-studio "$@"
