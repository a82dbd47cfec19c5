// Colour bars drawn with QPainter (vertical, ticks and unit), for slice views and reports.
#pragma once
#include <QPainter>
#include <QRect>
#include <QString>

#include "dotakv/viz/colormap.hpp"

namespace dotakv::viz {

// Draws a vertical bar in `rect` (ramp on the left 40 %, labels right of it) from lo (bottom) to
// hi (top) with `ticks` labelled values and `unit` above the bar.
void paint_colorbar(QPainter& p, const QRect& rect, ColorMap map, double lo, double hi,
                    const QString& unit, int ticks = 5);
// Stand-alone colour bar image (transparent background).
QImage render_colorbar(ColorMap map, double lo, double hi, const QString& unit, QSize size);

// "nice" tick values covering [lo, hi] (about n of them).
std::vector<double> nice_ticks(double lo, double hi, int n);

}  // namespace dotakv::viz
