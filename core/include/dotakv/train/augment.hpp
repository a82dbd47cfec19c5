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
//
// Test-time augmentation: infer_rotation_averaged runs the model on the 4 rotations of a CT (one
// batch of 4) and averages the doses rotated back. The model is not rotation-equivariant (the
// slice encoder flattens the lateral plane into a dense projection), so this removes the part of
// its error that depends on the orientation; the result is exactly equivariant:
// avg(rot(ct, k)) == rot(avg(ct), k). Cost: 4 model passes.
#pragma once
#include "dotakv/session.hpp"
#include "dotakv/volume.hpp"

namespace dotakv::train {

Volume rotate_lateral(const Volume& in, int k);

// Rotates CT and dose in place by the same k. They must be on the same grid (ShapeError).
void rotate_lateral_pair(Volume& ct, Volume& dose, int k);

// Dose [S, N, N] (Gy per primary) on ct's grid: mean over k = 0..3 of
// rotate_lateral(infer(rotate_lateral(ct, k)), -k). The session needs max_batch >= 4.
Volume infer_rotation_averaged(Session& session, const Volume& ct, double energy_mev);

}  // namespace dotakv::train
