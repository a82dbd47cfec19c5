#!/usr/bin/env bash
# Retakes the studio screenshots of docs/screenshots/ (all but bench.png) with the shipped model
# on the demo cases, in the studio's --screenshot mode under xvfb-run (docs/studio.md).
#   bash scripts/screenshots.sh
set -euo pipefail
cd "$(dirname "$0")/.."
cmake --build --preset release --target dotakv-studio >/dev/null
S=build/release/bin/dotakv-studio
D=resources/demo
O=docs/screenshots
shot() { xvfb-run -a -s "-screen 0 1600x1000x24" "$S" --size 1500x950 --reference mc --evaluated model "$@"; }
shot --open $D/bone_slab_120MeV.h5 --view slices --screenshot $O/slices.png
shot --open $D/water_150MeV.h5 --view projections --dark --screenshot $O/projections.png
shot --open $D/lateral_180MeV.h5 --view compare --screenshot $O/compare.png
shot --open $D/lateral_180MeV.h5 --view 3d --screenshot $O/3d.png
shot --open $D/lateral_180MeV.h5 --view compare --compare-map difference --dark --lang de \
  --screenshot $O/compare_difference_dark_de.png
# Digits workspace: a random MNIST test string read by the shipped digits model (needs MNIST,
# scripts/setup.sh), token 2's attention shown, the latency chart measured here.
if [ -f resources/models/dotakv-digits.h5 ]; then
  shot --view digits --digits random:7 --digits-token 1 --digits-measure --screenshot $O/digits.png
fi
