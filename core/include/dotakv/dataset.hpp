// Training datasets of (CT, energy, MC dose) samples and their two on-disk layouts
// (docs/format_case.md, "Datasets"):
//
// dotakv layout (default):
//   /ct        float32 [N, slices, rows, cols]  HU
//   /dose      float32 [N, slices, rows, cols]  Gy per primary (MC)
//   /energy    float64 [N]                      MeV
//   /kind      int32   [N]                      PhantomKind of each sample
//   root attributes: format "dotakv-dataset", version 1, n_samples, spacing_mm[3],
//   primaries, seed, energy_min/max, and the scaling constants x_min/x_max (HU), y_min/y_max
//   (dose), e_min/e_max (energy) used to scale inputs/outputs to [0, 1] as DoTA does.
// DoTA layout (--layout dota): /geometry [25, 25, 150, N] (HDF5 order; sample last, lateral
// axes reversed as written by a column-major tool), /dose0 same, /energy0 [N]; our 24x24 lateral
// grid is padded to 25x25 by repeating the last row and column (DoTA's loader drops them again).
//
// Generation is resumable: every finished sample is stored as its own small HDF5 file in
// "<out>.parts/" (written atomically); the final file is assembled atomically when all samples
// exist. A kill loses at most the sample in flight; re-running with the same options completes
// the missing samples (samples already in an existing <out> are reused). Sample i is a pure
// function of (seed, i), so an interrupted and a clean run give identical files.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "dotakv/case_file.hpp"
#include "dotakv/phantom.hpp"
#include "dotakv/progress.hpp"

namespace dotakv::physics {

struct DatasetOptions {
  int n = 100;                                   // number of samples (> 0)
  double energy_min = 70.0, energy_max = 220.0;  // uniform in [min, max]
  long long primaries = 20000;                   // MC primaries per sample
  uint64_t seed = 1;
  std::vector<PhantomKind> kinds{PhantomKind::Water, PhantomKind::Slab, PhantomKind::Lateral,
                                 PhantomKind::Random};  // cycled / drawn per sample
  int slices = 150, rows = 24, cols = 24;
  double spacing_mm = 2.0;
  bool dota_layout = false;  // write DoTA's layout instead of ours
  int threads = 0;           // MC threads (0: OpenMP default)
};

struct DatasetSummary {
  int n = 0, generated = 0, reused = 0;  // generated now vs found on disk
  double seconds = 0.0;
};

// Generates (or completes) the dataset at `out`. Progress messages carry an ETA.
// Throws ValueError for bad options, IoError for unwritable paths, Cancelled.
DatasetSummary generate_dataset(const DatasetOptions& options, const std::string& out,
                                Progress* progress = nullptr);

// Reading either layout (detected from the datasets present).
struct DatasetInfo {
  int n = 0;
  bool dota_layout = false;
  int slices = 0, rows = 0, cols = 0;  // as stored (DoTA: 150, 25, 25)
  double x_min = 0, x_max = 0, y_min = 0, y_max = 0, e_min = 0, e_max = 0;  // scaling constants
};
DatasetInfo dataset_info(const std::string& path);
// Sample i as a Case with one dose named "mc". For the DoTA layout crop_to_24 drops the last
// lateral row and column (as DoTA's loader does).
Case read_dataset_sample(const std::string& path, int index, bool crop_to_24 = true);

}  // namespace dotakv::physics
