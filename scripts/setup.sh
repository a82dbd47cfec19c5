#!/usr/bin/env bash
# Installs every Debian 12 package dotakv needs to build, test and run.
# Idempotent: when everything is present it prints nothing and exits 0.
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git ccache
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
  qt6-svg-dev libqt6opengl6-dev qt6-translations-l10n
  libvtk9-dev libopenmpi-dev
  libeigen3-dev libdnnl-dev libhdf5-dev
  nlohmann-json3-dev libcli11-dev libbenchmark-dev
  xvfb xauth libgl1-mesa-dri mesa-utils poppler-utils fonts-dejavu-core
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "dotakv setup: installing ${#missing[@]} package(s): ${missing[*]}"
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "dotakv setup: done"
