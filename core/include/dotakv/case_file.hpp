// A dose case: CT + beam energy + any number of named doses, stored in one HDF5 file.
// Layout (docs/FORMATS.md, "Case files"):
//   /ct                    float32 [slices, rows, cols] HU, attribute spacing_mm float64[3]
//   / attribute energy_mev float64
//   /doses/<name>          float32 [slices, rows, cols] Gy per primary, attributes describing
//                          how it was made (engine, primaries, seed, model, cache settings...)
// DoTA's own training layout (datasets geometry [25,25,150,N] in HDF5 order, doseK, energyK)
// is read by read_dota_sample() — see the implementation notes on transposition/cropping.
#pragma once
#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "dotakv/volume.hpp"

namespace dotakv {

struct Dose {
  Volume volume;              // Gy per primary, same grid as the CT
  nlohmann::json attributes;  // object: engine, primaries, seed, model, cache, precision, ...
};

struct Case {
  Volume ct;                // HU
  double energy_mev = 0.0;  // beam energy, 70..220 MeV for DoTA
  std::map<std::string, Dose> doses;
};

// Reads a case file. Throws IoError (missing, not HDF5, truncated), FormatError (missing
// dataset/attribute), ShapeError (dose grid != CT grid), ValueError (NaN/Inf in CT, energy <= 0).
Case load_case(const std::string& path);
// Writes the whole case atomically (temporary file + rename).
void save_case(const Case& c, const std::string& path);
// Adds or replaces one dose in an existing case file, atomically (the file is rewritten).
void add_dose_to_case_file(const std::string& path, const std::string& name, const Dose& dose);

// DoTA training layout: number of samples and reading one sample (CT, dose, energy).
// crop_to_24: drop the last lateral row and column (25x25 -> 24x24) as DoTA's loader does.
int dota_sample_count(const std::string& path);
Case read_dota_sample(const std::string& path, int index, bool crop_to_24 = true);

}  // namespace dotakv
