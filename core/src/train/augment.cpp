#include "dotakv/train/augment.hpp"

#include <utility>
#include <vector>

#include "dotakv/error.hpp"

namespace dotakv::train {

Volume rotate_lateral(const Volume& in, int k) {
  if (in.rows != in.cols)
    throw ShapeError("rotate_lateral: volume " + shape_string({in.slices, in.rows, in.cols}) +
                     ": expected a square lateral plane (rows == cols)");
  k = ((k % 4) + 4) % 4;
  const int N = in.rows;
  Volume out(in.slices, N, N);
  out.spacing_mm = in.spacing_mm;
  if (k % 2 == 1) std::swap(out.spacing_mm[1], out.spacing_mm[2]);
  for (int z = 0; z < in.slices; ++z)
    for (int i = 0; i < N; ++i)
      for (int j = 0; j < N; ++j) {
        int r = i, c = j;
        if (k == 1) r = j, c = N - 1 - i;
        if (k == 2) r = N - 1 - i, c = N - 1 - j;
        if (k == 3) r = N - 1 - j, c = i;
        out.at(z, i, j) = in.at(z, r, c);
      }
  return out;
}

void rotate_lateral_pair(Volume& ct, Volume& dose, int k) {
  if (!ct.same_grid(dose))
    throw ShapeError("rotate_lateral_pair: CT " + shape_string({ct.slices, ct.rows, ct.cols}) +
                     " and dose " + shape_string({dose.slices, dose.rows, dose.cols}) +
                     " must share a grid");
  ct = rotate_lateral(ct, k);
  dose = rotate_lateral(dose, k);
}

Volume infer_rotation_averaged(Session& session, const Volume& ct, double energy_mev) {
  std::vector<Volume> cts;
  for (int k = 0; k < 4; ++k) cts.push_back(rotate_lateral(ct, k));
  const auto doses = session.infer(cts, std::vector<double>(4, energy_mev));
  Volume mean(ct.slices, ct.rows, ct.cols);
  mean.spacing_mm = ct.spacing_mm;
  for (int k = 0; k < 4; ++k) {
    const Volume back = rotate_lateral(doses[k], -k);
    for (size_t i = 0; i < mean.size(); ++i) mean.data[i] += 0.25f * back.data[i];
  }
  return mean;
}

}  // namespace dotakv::train
