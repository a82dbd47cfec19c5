#!/usr/bin/env bash
# ThreadSanitizer run of the tests that exercise threads (Monte Carlo, PBA, benchmark harness and
# workers, training, digits decoding and its benchmark, studio workers), built with clang-14 and
# LLVM's OpenMP runtime so that its Archer tool tells TSan about OpenMP's barriers and tasks
# (GNU libgomp is not instrumented and would give false reports). oneDNN (Debian) links libgomp:
# libgomp.so.1 is pointed at LLVM's libomp, which implements the GOMP entry points, so the process
# has one OpenMP runtime. Findings and their fixes: docs/reliability.md.
# Usage: scripts/test_tsan.sh [ctest -R regex]   (TSAN_JOBS: build jobs, default one per core)
set -euo pipefail
cd "$(dirname "$0")/.."
default_tests=(unit.physics_mc unit.physics_pba unit.physics_dataset unit.bench_harness unit.bench_cli
  unit.digits_bench unit.digits_model unit.train_graph unit.engine_modes unit.engine_kvcache
  gui.bench_panel gui.studio gui.digits_panel)
# A regex argument picks among these tests. Only what the picked tests run is built: their
# executables (unit.X -> unit_test_X) and the CLI.
regex="${1:-^($(IFS='|'; echo "${default_tests[*]}"))\$}"
build_targets=(dotakv)
for t in "${default_tests[@]}"; do
  if [[ "$t" =~ $regex ]]; then build_targets+=("${t%%.*}_test_${t#*.}"); fi
done
llvm=/usr/lib/llvm-14
cmake -S . -B build/tsan -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DCMAKE_C_COMPILER=clang-14 -DCMAKE_CXX_COMPILER=clang++-14 \
  -DDOTAKV_TSAN=ON -DDOTAKV_BUILD_BENCH=OFF -DDOTAKV_NATIVE=ON \
  -DOpenMP_CXX_FLAGS="-fopenmp=libomp" -DOpenMP_CXX_LIB_NAMES=omp \
  -DOpenMP_omp_LIBRARY="$llvm/lib/libomp.so" >/dev/null
cmake --build build/tsan -j"${TSAN_JOBS:-$(nproc)}" --target "${build_targets[@]}"
shim="$PWD/build/tsan/omp-shim"
mkdir -p "$shim"
ln -sf "$llvm/lib/libomp.so.5" "$shim/libgomp.so.1"
export LD_LIBRARY_PATH="$shim:$llvm/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export OMP_TOOL_LIBRARIES="$llvm/lib/libarcher.so"
export ARCHER_OPTIONS="verbose=0"
# ignore_noninstrumented_modules: libomp, Qt, oneDNN and libhdf5 are not instrumented; Archer
# reports OpenMP synchronisation to TSan, and races inside those libraries are not ours to fix.
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:ignore_noninstrumented_modules=1:suppressions=$PWD/tests/sanitizers/tsan.supp"
export OMP_NUM_THREADS="${OMP_NUM_THREADS:-2}"
ctest --test-dir build/tsan -R "$regex" --output-on-failure --timeout 2400
