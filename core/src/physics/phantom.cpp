// Phantom generator. See phantom.hpp for the kinds and the reproducibility contract.
#include "dotakv/phantom.hpp"

#include <algorithm>
#include <cmath>
#include <random>

#include "dotakv/error.hpp"
#include "dotakv/limits.hpp"

namespace dotakv::physics {
namespace {

constexpr float kBone = 1200.f, kLung = -750.f, kFat = -100.f, kAir = -1000.f;

// Uniform helpers on a fixed engine (std distributions are implementation-defined, so draw
// from the raw 64-bit output to keep phantoms identical across standard libraries).
struct Draw {
  std::mt19937_64 eng;
  explicit Draw(uint64_t seed) : eng(seed) {}
  double uni() { return double(eng() >> 11) * 0x1.0p-53; }
  double uni(double a, double b) { return a + (b - a) * uni(); }
  int integer(int a, int b) { return a + int(uni() * (b - a + 1)) % (b - a + 1); }
  double normal() {  // Box-Muller, one value
    const double u1 = 1.0 - uni(), u2 = uni();
    return std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2);
  }
  float material() {
    static const float m[] = {kBone, kLung, kFat, kAir};
    return m[integer(0, 3)];
  }
};

struct Grid {
  Volume& v;
  double h;
  // centre of voxel in mm; lateral coordinates relative to the grid's lateral centre
  double zc(int z) const { return (z + 0.5) * h; }
  double yc(int y) const { return (y + 0.5) * h - 0.5 * v.rows * h; }
  double xc(int x) const { return (x + 0.5) * h - 0.5 * v.cols * h; }
  template <class F>
  void fill(float hu, F inside) {
    for (int z = 0; z < v.slices; ++z)
      for (int y = 0; y < v.rows; ++y)
        for (int x = 0; x < v.cols; ++x)
          if (inside(zc(z), yc(y), xc(x))) v.at(z, y, x) = hu;
  }
};

void add_slab(Grid& g, Draw& d, double depth_max) {
  const double z0 = d.uni(20.0, std::max(25.0, std::min(200.0, depth_max - 10.0)));
  const double t = d.uni(10.0, 40.0);
  g.fill(d.material(), [&](double z, double, double) { return z >= z0 && z < z0 + t; });
}

void add_half_slab(Grid& g, Draw& d, double depth_max) {
  const double z0 = d.uni(10.0, std::max(15.0, std::min(200.0, depth_max - 10.0)));
  const double t = d.uni(10.0, 60.0);
  const int side = d.integer(0, 3);
  const double edge = d.uni(-4.0, 4.0);
  g.fill(d.material(), [&](double z, double y, double x) {
    if (z < z0 || z >= z0 + t) return false;
    switch (side) {
      case 0:
        return x >= edge;
      case 1:
        return x < edge;
      case 2:
        return y >= edge;
      default:
        return y < edge;
    }
  });
}

void add_cylinder(Grid& g, Draw& d, double depth_max, bool oblique) {
  const double r = d.uni(2.0, 8.0);
  const double y0 = d.uni(-6.0, 6.0), x0 = d.uni(-6.0, 6.0);
  const double z0 = d.uni(10.0, std::max(15.0, depth_max * 0.6));
  const double len = d.uni(20.0, 100.0);
  const double tilt = oblique ? d.uni(10.0, 45.0) * M_PI / 180.0 : 0.0;
  const double az = d.uni(0.0, 2.0 * M_PI);
  const double ax[3] = {std::cos(tilt), std::sin(tilt) * std::sin(az),
                        std::sin(tilt) * std::cos(az)};
  const double zm = z0 + 0.5 * len;
  g.fill(d.material(), [&](double z, double y, double x) {
    const double p[3] = {z - zm, y - y0, x - x0};
    const double along = p[0] * ax[0] + p[1] * ax[1] + p[2] * ax[2];
    if (std::abs(along) > 0.5 * len) return false;
    const double q0 = p[0] - along * ax[0], q1 = p[1] - along * ax[1], q2 = p[2] - along * ax[2];
    return q0 * q0 + q1 * q1 + q2 * q2 <= r * r;
  });
}

void add_sphere(Grid& g, Draw& d, double depth_max) {
  const double r = d.uni(4.0, 15.0);
  const double zc = d.uni(20.0, std::max(25.0, depth_max * 0.7));
  const double yc = d.uni(-6.0, 6.0), xc = d.uni(-6.0, 6.0);
  g.fill(d.material(), [&](double z, double y, double x) {
    return (z - zc) * (z - zc) + (y - yc) * (y - yc) + (x - xc) * (x - xc) <= r * r;
  });
}

}  // namespace

PhantomKind parse_phantom_kind(const std::string& name) {
  if (name == "water") return PhantomKind::Water;
  if (name == "slab") return PhantomKind::Slab;
  if (name == "lateral") return PhantomKind::Lateral;
  if (name == "random") return PhantomKind::Random;
  throw ValueError("phantom kind: expected water|slab|lateral|random, found '" + name + "'");
}

std::string phantom_kind_name(PhantomKind k) {
  switch (k) {
    case PhantomKind::Water:
      return "water";
    case PhantomKind::Slab:
      return "slab";
    case PhantomKind::Lateral:
      return "lateral";
    case PhantomKind::Random:
      return "random";
  }
  return "unknown";
}

Volume make_phantom(const PhantomOptions& o) {
  if (o.slices <= 0 || o.rows <= 0 || o.cols <= 0 || !(o.spacing_mm > 0.0) || !(o.noise_hu >= 0.0))
    throw ValueError("phantom: grid " + shape_string({o.slices, o.rows, o.cols}) + " spacing " +
                     std::to_string(o.spacing_mm) + " mm: sizes and spacing must be positive");
  const std::vector<std::uint64_t> grid{std::uint64_t(o.slices), std::uint64_t(o.rows),
                                        std::uint64_t(o.cols)};
  require_volume_axes(grid, "phantom: grid");
  require_memory(grid, sizeof(float), "phantom: grid");
  Volume v(o.slices, o.rows, o.cols, 0.f);
  v.spacing_mm = {o.spacing_mm, o.spacing_mm, o.spacing_mm};
  Grid g{v, o.spacing_mm};
  Draw d(o.seed * 0x9E3779B97F4A7C15ull + uint64_t(o.kind) + 1);
  const double depth = o.slices * o.spacing_mm;
  // Feature k: 0 slab, 1 half-slab, 2 cylinder along the beam, 3 oblique cylinder, 4+ sphere.
  auto add_feature = [&](int k) {
    switch (k) {
      case 0:
        add_slab(g, d, depth);
        break;
      case 1:
        add_half_slab(g, d, depth);
        break;
      case 2:
        add_cylinder(g, d, depth, false);
        break;
      case 3:
        add_cylinder(g, d, depth, true);
        break;
      default:
        add_sphere(g, d, depth);
        break;
    }
  };
  switch (o.kind) {
    case PhantomKind::Water:
      break;
    case PhantomKind::Slab: {
      const int n = d.integer(1, 3);
      for (int i = 0; i < n; ++i) add_slab(g, d, depth);
      break;
    }
    case PhantomKind::Lateral: {
      const int n = d.integer(1, 3);
      for (int i = 0; i < n; ++i) add_feature(1 + d.integer(0, 3));
      break;
    }
    case PhantomKind::Random: {
      // soft-tissue body with a smooth random HU field
      const double base = d.uni(-50.0, 60.0);
      double amp[3], kz[3], ky[3], kx[3], ph[3];
      for (int i = 0; i < 3; ++i) {
        amp[i] = d.uni(10.0, 60.0);
        kz[i] = d.uni(0.0, 2.0 * M_PI / 60.0);
        ky[i] = d.uni(0.0, 2.0 * M_PI / 30.0);
        kx[i] = d.uni(0.0, 2.0 * M_PI / 30.0);
        ph[i] = d.uni(0.0, 2.0 * M_PI);
      }
      for (int z = 0; z < v.slices; ++z)
        for (int y = 0; y < v.rows; ++y)
          for (int x = 0; x < v.cols; ++x) {
            double hu = base;
            for (int i = 0; i < 3; ++i)
              hu += amp[i] * std::cos(kz[i] * g.zc(z) + ky[i] * g.yc(y) + kx[i] * g.xc(x) + ph[i]);
            v.at(z, y, x) = float(hu);
          }
      const int n = d.integer(2, 6);
      for (int i = 0; i < n; ++i) add_feature(d.integer(0, 4));
      for (float& hu : v.data)
        hu = float(std::clamp(hu + o.noise_hu * d.normal(), -1000.0, 3000.0));
      break;
    }
  }
  return v;
}

namespace {
Volume make_water(int s, int r, int c, double h) {
  PhantomOptions o;
  o.slices = s;
  o.rows = r;
  o.cols = c;
  o.spacing_mm = h;
  return make_phantom(o);
}
}  // namespace

Volume make_slab_phantom(int s, int r, int c, double h, double z0, double t, float hu) {
  Volume v = make_water(s, r, c, h);
  Grid g{v, h};
  g.fill(hu, [&](double z, double, double) { return z >= z0 && z < z0 + t; });
  return v;
}

Volume make_half_slab_phantom(int s, int r, int c, double h, double z0, double t, float hu) {
  Volume v = make_water(s, r, c, h);
  for (int z = 0; z < s; ++z) {
    const double zc = (z + 0.5) * h;
    if (zc < z0 || zc >= z0 + t) continue;
    for (int y = 0; y < r; ++y)
      for (int x = c / 2; x < c; ++x) v.at(z, y, x) = hu;
  }
  return v;
}

}  // namespace dotakv::physics
