// Data augmentation by 90-degree rotations of the lateral plane (rows, cols) of a beam's-eye-view
// Volume [slices, rows, cols]; the beam axis (slices) is untouched, so a rotated (CT, dose) pair
// is again a physically valid pencil-beam sample (the beam stays centred when rows == cols).
//
// Rotation by k quarter turns (k taken mod 4, negative allowed), N = rows = cols, for every z:
//   k = 0: out[z][i][j] = in[z][i][j]
//   k = 1: out[z][i][j] = in[z][j][N-1-i]          (numpy.rot90(a, 1, axes=(1, 2)))
//   k = 2: out[z][i][j] = in[z][N-1-i][N-1-j]
//   k = 3: out[z][i][j] = in[z][N-1-j][i]
// For odd k the row and col spacings are swapped. rows != cols is a ShapeError.
#pragma once
#include "dotakv/volume.hpp"

namespace dotakv::train {

Volume rotate_lateral(const Volume& in, int k);

// Rotates CT and dose in place by the same k. They must be on the same grid (ShapeError).
void rotate_lateral_pair(Volume& ct, Volume& dose, int k);

}  // namespace dotakv::train
