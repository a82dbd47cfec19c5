// Slice extraction and 2-D rendering of volumes (CT grey levels, dose colour wash, signed maps).
// Pure Qt Gui (QImage), no widgets; used by the studio views, the report writer and the tests.
//
// Planes (volume order [slices=z (depth along the beam), rows=y, cols=x]):
//   Lateral  : beam's-eye view at a depth z; image u = x (cols), v = y (rows); size cols x rows.
//   DepthRow : depth plane through column x;  image u = z (depth), v = y (rows); size slices x
//   rows. DepthCol : depth plane through row y;     image u = z (depth), v = x (cols); size slices
//   x cols.
// Image pixel (u, v) is the voxel centre; pixel_mm gives the physical size of one pixel so views
// can keep the aspect ratio.
#pragma once
#include <QImage>
#include <QPointF>
#include <QSizeF>
#include <array>
#include <vector>

#include "dotakv/viz/colormap.hpp"
#include "dotakv/volume.hpp"

namespace dotakv::viz {

enum class Plane { Lateral = 0, DepthRow = 1, DepthCol = 2 };

// A 2-D float image, row-major (u fastest). width x height = image u x v extent.
struct Slice2D {
  int width = 0, height = 0;
  QSizeF pixel_mm{1.0, 1.0};
  std::vector<float> values;
  float at(int u, int v) const { return values[size_t(v) * width + u]; }
  bool empty() const { return values.empty(); }
};

// Number of positions along the plane's normal (slices for Lateral, cols for DepthRow, rows for
// DepthCol).
int plane_count(const Volume& vol, Plane plane);
// The plane index of a voxel (z, y, x) for a plane: z, x or y.
int plane_index(Plane plane, const std::array<int, 3>& zyx);
// Extracts a slice; index is clamped to the valid range. Empty volume -> empty slice.
Slice2D extract_slice(const Volume& vol, Plane plane, int index);
// Voxel (z, y, x) of image pixel (u, v) on plane `plane` at `index`.
std::array<int, 3> voxel_of(Plane plane, int index, int u, int v);
// Image pixel (u, v) of voxel (z, y, x) on plane `plane` (the plane index is ignored).
QPoint pixel_of(Plane plane, const std::array<int, 3>& zyx);

// CT window/level in HU.
struct WindowLevel {
  double window = 400.0, level = 40.0;
};
struct WindowPreset {
  const char* name;  // untranslated English; the GUI shows its own tr() names in this order
  WindowLevel wl;
};
// Soft tissue (400/40), lung (1500/-600), bone (1800/400), brain (80/40), full (4000/500).
const std::vector<WindowPreset>& window_presets();

// Dose colour wash. Values below `cut` are transparent; between `lo` and `hi` they are mapped
// through `map` with `opacity` (0..1) blended over the CT. All values in the dose's unit.
struct DoseWash {
  double lo = 0.0, hi = 1.0, cut = 0.1, opacity = 0.5;
  ColorMap map = ColorMap::Jet;
};

// Grey CT image (Format_RGB32), size width x height of the slice.
QImage render_ct(const Slice2D& ct, const WindowLevel& wl);
// Blends a dose wash over `image` (same size as the slice) in place.
void overlay_dose(QImage& image, const Slice2D& dose, const DoseWash& wash);
// A stand-alone map image (difference, gamma, MIP): value -> colour on [lo, hi]; non-finite
// values drawn in `nan_color`.
QImage render_map(const Slice2D& map, double lo, double hi, ColorMap cmap,
                  QColor nan_color = QColor(0, 0, 0));

// Maximum-intensity projection of a volume along the normal of `plane` (same image layout as
// extract_slice for that plane).
Slice2D max_projection(const Volume& vol, Plane plane);

}  // namespace dotakv::viz
