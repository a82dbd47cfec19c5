#include "dotakv/viz/colormap.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace dotakv::viz {
namespace {
QColor lerp_table(const std::array<std::array<double, 3>, 5>& stops, double t) {
  const double x = t * (stops.size() - 1);
  const int i = std::min(static_cast<int>(x), static_cast<int>(stops.size()) - 2);
  const double f = x - i;
  auto c = [&](int k) { return stops[i][k] + f * (stops[i + 1][k] - stops[i][k]); };
  return QColor::fromRgbF(c(0), c(1), c(2));
}
}  // namespace

QColor map_color(ColorMap map, double t) {
  t = std::clamp(std::isfinite(t) ? t : 0.0, 0.0, 1.0);
  switch (map) {
    case ColorMap::Grey:
      return QColor::fromRgbF(t, t, t);
    case ColorMap::Jet:
      return lerp_table({{{0, 0, 0.5}, {0, 0.5, 1}, {0.5, 1, 0.5}, {1, 0.5, 0}, {0.5, 0, 0}}}, t);
    case ColorMap::Turbo:
      return lerp_table({{{0.19, 0.07, 0.23},
                          {0.16, 0.68, 0.93},
                          {0.64, 0.99, 0.24},
                          {0.98, 0.50, 0.13},
                          {0.48, 0.02, 0.01}}},
                        t);
    case ColorMap::Diverging:
      return lerp_table({{{0.02, 0.19, 0.38},
                          {0.57, 0.77, 0.87},
                          {0.97, 0.97, 0.97},
                          {0.96, 0.65, 0.51},
                          {0.40, 0.0, 0.12}}},
                        t);
  }
  return Qt::black;
}

}  // namespace dotakv::viz
