// Phantom generator: synthetic CTs (HU) in beam's-eye-view order [slices, rows, cols].
// The beam enters at slice 0 and travels along increasing slice index, centred laterally.
//
//   water    homogeneous water (0 HU)
//   slab     water with 1..3 slabs perpendicular to the beam (bone 1200 HU, lung -750 HU,
//            fat -100 HU, air -1000 HU), thickness 1..4 cm, depth 2..20 cm
//   lateral  lateral heterogeneities where a pencil-beam algorithm fails: half-slabs covering one
//            side of the beam axis, cylinders parallel or oblique to the beam, spheres
//   random   mixed geometry: a soft-tissue body with smooth random HU fields, several random
//            slabs/half-slabs/cylinders/spheres of mixed materials and Gaussian HU noise
//
// Everything is drawn from std::mt19937_64 seeded with `seed`, so a phantom is reproducible
// (same seed + options => identical volume on the same platform/libm). Thread safety: pure.
#pragma once
#include <cstdint>
#include <string>

#include "dotakv/volume.hpp"

namespace dotakv::physics {

enum class PhantomKind { Water, Slab, Lateral, Random };

// "water"|"slab"|"lateral"|"random" <-> enum. parse throws ValueError naming the bad string.
PhantomKind parse_phantom_kind(const std::string& name);
std::string phantom_kind_name(PhantomKind kind);

struct PhantomOptions {
  PhantomKind kind = PhantomKind::Water;
  uint64_t seed = 0;
  int slices = 150, rows = 24, cols = 24;  // DoTA's block
  double spacing_mm = 2.0;                 // isotropic voxel size
  double noise_hu = 20.0;                  // Gaussian HU noise sigma (random kind only)
};

// Returns a CT volume in HU. Throws ValueError for non-positive sizes/spacing.
Volume make_phantom(const PhantomOptions& options);

// A water block with one slab of constant HU perpendicular to the beam between depths
// [z0_mm, z0_mm + thickness_mm) (voxels whose centre lies inside). Used by validation tests.
Volume make_slab_phantom(int slices, int rows, int cols, double spacing_mm, double z0_mm,
                         double thickness_mm, float slab_hu);
// A water block with a half-slab: voxels with centre depth in [z0, z0+t) AND col >= cols/2 get
// slab_hu (a lateral heterogeneity whose edge runs along the beam axis).
Volume make_half_slab_phantom(int slices, int rows, int cols, double spacing_mm, double z0_mm,
                              double thickness_mm, float slab_hu);

}  // namespace dotakv::physics
