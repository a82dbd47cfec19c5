#include "dotakv/viz/slice.hpp"

#include <algorithm>
#include <cmath>

namespace dotakv::viz {

int plane_count(const Volume& vol, Plane plane) {
  switch (plane) {
    case Plane::Lateral:
      return vol.slices;
    case Plane::DepthRow:
      return vol.cols;
    case Plane::DepthCol:
      return vol.rows;
  }
  return 0;
}

int plane_index(Plane plane, const std::array<int, 3>& zyx) {
  switch (plane) {
    case Plane::Lateral:
      return zyx[0];
    case Plane::DepthRow:
      return zyx[2];
    case Plane::DepthCol:
      return zyx[1];
  }
  return 0;
}

std::array<int, 3> voxel_of(Plane plane, int index, int u, int v) {
  switch (plane) {
    case Plane::Lateral:
      return {index, v, u};
    case Plane::DepthRow:
      return {u, v, index};
    case Plane::DepthCol:
      return {u, index, v};
  }
  return {0, 0, 0};
}

QPoint pixel_of(Plane plane, const std::array<int, 3>& zyx) {
  switch (plane) {
    case Plane::Lateral:
      return {zyx[2], zyx[1]};
    case Plane::DepthRow:
      return {zyx[0], zyx[1]};
    case Plane::DepthCol:
      return {zyx[0], zyx[2]};
  }
  return {};
}

namespace {
void plane_shape(const Volume& vol, Plane plane, int& w, int& h, QSizeF& mm) {
  const auto& s = vol.spacing_mm;
  switch (plane) {
    case Plane::Lateral:
      w = vol.cols, h = vol.rows, mm = QSizeF(s[2], s[1]);
      break;
    case Plane::DepthRow:
      w = vol.slices, h = vol.rows, mm = QSizeF(s[0], s[1]);
      break;
    case Plane::DepthCol:
      w = vol.slices, h = vol.cols, mm = QSizeF(s[0], s[2]);
      break;
  }
}
}  // namespace

Slice2D extract_slice(const Volume& vol, Plane plane, int index) {
  Slice2D out;
  if (vol.data.empty()) return out;
  plane_shape(vol, plane, out.width, out.height, out.pixel_mm);
  index = std::clamp(index, 0, plane_count(vol, plane) - 1);
  out.values.resize(size_t(out.width) * out.height);
  for (int v = 0; v < out.height; ++v)
    for (int u = 0; u < out.width; ++u) {
      const auto p = voxel_of(plane, index, u, v);
      out.values[size_t(v) * out.width + u] = vol.at(p[0], p[1], p[2]);
    }
  return out;
}

Slice2D max_projection(const Volume& vol, Plane plane) {
  Slice2D out;
  if (vol.data.empty()) return out;
  plane_shape(vol, plane, out.width, out.height, out.pixel_mm);
  out.values.assign(size_t(out.width) * out.height, -std::numeric_limits<float>::infinity());
  const int n = plane_count(vol, plane);
  for (int i = 0; i < n; ++i)
    for (int v = 0; v < out.height; ++v)
      for (int u = 0; u < out.width; ++u) {
        const auto p = voxel_of(plane, i, u, v);
        float& m = out.values[size_t(v) * out.width + u];
        m = std::max(m, vol.at(p[0], p[1], p[2]));
      }
  return out;
}

const std::vector<WindowPreset>& window_presets() {
  static const std::vector<WindowPreset> presets{{"Soft tissue", {400, 40}},
                                                 {"Lung", {1500, -600}},
                                                 {"Bone", {1800, 400}},
                                                 {"Brain", {80, 40}},
                                                 {"Full range", {4000, 500}}};
  return presets;
}

QImage render_ct(const Slice2D& ct, const WindowLevel& wl) {
  QImage img(std::max(ct.width, 1), std::max(ct.height, 1), QImage::Format_RGB32);
  img.fill(Qt::black);
  const double lo = wl.level - wl.window / 2, w = std::max(wl.window, 1e-6);
  for (int v = 0; v < ct.height; ++v) {
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(v));
    for (int u = 0; u < ct.width; ++u) {
      const double x = ct.at(u, v);
      const int g = std::isfinite(x) ? int(std::clamp((x - lo) / w, 0.0, 1.0) * 255.0 + 0.5) : 0;
      line[u] = qRgb(g, g, g);
    }
  }
  return img;
}

void overlay_dose(QImage& image, const Slice2D& dose, const DoseWash& wash) {
  if (dose.empty() || image.width() != dose.width || image.height() != dose.height) return;
  if (image.format() != QImage::Format_RGB32 && image.format() != QImage::Format_ARGB32)
    image = image.convertToFormat(QImage::Format_RGB32);
  const double span = std::max(wash.hi - wash.lo, 1e-30);
  const double a = std::clamp(wash.opacity, 0.0, 1.0);
  for (int v = 0; v < dose.height; ++v) {
    auto* line = reinterpret_cast<QRgb*>(image.scanLine(v));
    for (int u = 0; u < dose.width; ++u) {
      const double d = dose.at(u, v);
      if (!std::isfinite(d) || d < wash.cut || d <= 0.0) continue;
      const QColor c = map_color(wash.map, (d - wash.lo) / span);
      const QRgb b = line[u];
      line[u] = qRgb(int(qRed(b) * (1 - a) + c.red() * a), int(qGreen(b) * (1 - a) + c.green() * a),
                     int(qBlue(b) * (1 - a) + c.blue() * a));
    }
  }
}

QImage render_map(const Slice2D& map, double lo, double hi, ColorMap cmap, QColor nan_color) {
  QImage img(std::max(map.width, 1), std::max(map.height, 1), QImage::Format_RGB32);
  img.fill(nan_color);
  const double span = std::max(hi - lo, 1e-30);
  for (int v = 0; v < map.height; ++v) {
    auto* line = reinterpret_cast<QRgb*>(img.scanLine(v));
    for (int u = 0; u < map.width; ++u) {
      const double x = map.at(u, v);
      line[u] = std::isfinite(x) ? map_color(cmap, (x - lo) / span).rgb() : nan_color.rgb();
    }
  }
  return img;
}

}  // namespace dotakv::viz
