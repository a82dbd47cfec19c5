#!/usr/bin/env bash
# Regenerates the bundled demo cases in resources/demo/ from fixed seeds: four phantoms (water,
# bone slab, lateral heterogeneity, random mixed) with a Monte Carlo and a pencil-beam dose each.
# Usage: bash scripts/make_demo.sh [path/to/dotakv]   (default build/release/bin/dotakv)
set -euo pipefail
cd "$(dirname "$0")/.."
dotakv=${1:-build/release/bin/dotakv}
out=resources/demo
mkdir -p "$out"
make_case() {  # name kind seed energy
  local f="$out/$1.h5"
  "$dotakv" phantom --kind "$2" --seed "$3" --energy "$4" --out "$f"
  "$dotakv" dose --engine mc --ct "$f" --primaries 200000 --seed "$3" --quiet
  "$dotakv" dose --engine pba --ct "$f" --quiet
}
make_case water_150MeV water 1 150
make_case bone_slab_120MeV slab 2 120
make_case lateral_180MeV lateral 3 180
make_case random_100MeV random 4 100
ls -la "$out"
