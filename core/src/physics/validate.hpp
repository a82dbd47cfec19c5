// Shared input checks of the dose engines (one message format everywhere).
#pragma once
#include <cmath>
#include <string>

#include "dotakv/error.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/volume.hpp"

namespace dotakv::physics::detail {

inline void validate_ct(const Volume& ct, const char* what) {
  if (ct.slices <= 0 || ct.rows <= 0 || ct.cols <= 0 || ct.data.size() != ct.size() ||
      ct.data.empty())
    throw ValueError(std::string(what) + ": CT is empty (shape " +
                     shape_string({ct.slices, ct.rows, ct.cols}) + ")");
  if (ct.data.size() != size_t(ct.slices) * ct.rows * ct.cols)
    throw ShapeError(std::string(what) + ": CT data size does not match its shape");
  for (double s : ct.spacing_mm)
    if (!(s > 0.0) || !std::isfinite(s))
      throw ValueError(std::string(what) + ": CT spacing_mm must be positive, found " +
                       std::to_string(s));
  for (size_t i = 0; i < ct.data.size(); ++i)
    if (!std::isfinite(ct.data[i]))
      throw ValueError(std::string(what) + ": CT voxel " + std::to_string(i) +
                       " is not finite (NaN/Inf HU)");
}

inline void validate_energy(double e, const char* what) {
  if (!(e > 0.0) || !(e <= kTableMaxEnergyMeV))
    throw ValueError(std::string(what) + ": energy must be in (0, " +
                     std::to_string(int(kTableMaxEnergyMeV)) + "] MeV, found " + std::to_string(e));
}

}  // namespace dotakv::physics::detail
