// Isodose lines on a 2-D slice: marching squares with linear interpolation on the pixel-centre
// grid, plus a label anchor per level and the customary isodose colours.
// Coordinates are image pixel coordinates with pixel (u, v) centred at (u + 0.5, v + 0.5), so a
// QPainter scaled to draw the slice image at (0,0)-(width,height) draws the lines in place.
#pragma once
#include <QColor>
#include <QLineF>
#include <QString>
#include <vector>

#include "dotakv/viz/slice.hpp"

namespace dotakv::viz {

struct IsoLine {
  double level = 0.0;  // in the slice's unit
  QColor color;
  std::vector<QLineF> segments;  // unordered segments
  QPointF label_pos;             // a point on the line for the label (valid if !segments.empty())
};

// Segments of the iso-line `level` (empty if the level is not crossed). Saddle cells are
// resolved by the cell-centre average. Non-finite values count as below every level.
std::vector<QLineF> marching_squares(const Slice2D& slice, double level);

// The usual colours for isodose levels in percent of the reference (100 % red, 95 orange,
// 90 yellow, 80 green, 70 cyan-green, 50 cyan, 30 blue, 10 dark blue; others interpolated).
QColor isodose_color(double percent);

// Lines for each level in `percent` of `reference` (the 100 % value in the slice's unit).
std::vector<IsoLine> isodose_lines(const Slice2D& dose, const std::vector<double>& percent,
                                   double reference);

}  // namespace dotakv::viz
