// Colour maps for dose wash, CT grey levels and signed differences.
#pragma once
#include <QColor>

namespace dotakv::viz {

enum class ColorMap { Grey, Jet, Turbo, Diverging };

// Maps t in [0,1] (clamped) to a colour of the given map.
QColor map_color(ColorMap map, double t);

}  // namespace dotakv::viz
