#!/usr/bin/env bash
# Installs dependencies, builds the Release preset and runs the main job on the bundled default:
# the studio on the bundled demo case when a display is available, otherwise `dotakv demo`,
# which prints the same summary headlessly.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
cmake --preset release >/dev/null
cmake --build --preset release
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] && [ -x build/release/bin/dotakv-studio ]; then
  exec build/release/bin/dotakv-studio "$@"
fi
exec build/release/bin/dotakv demo "$@"
