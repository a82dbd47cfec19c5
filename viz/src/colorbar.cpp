#include "dotakv/viz/colorbar.hpp"

#include <QFontMetrics>
#include <QLinearGradient>
#include <cmath>

namespace dotakv::viz {

std::vector<double> nice_ticks(double lo, double hi, int n) {
  std::vector<double> t;
  if (!(hi > lo) || n < 2) return {lo};
  const double raw = (hi - lo) / (n - 1);
  const double mag = std::pow(10.0, std::floor(std::log10(raw)));
  const double r = raw / mag;
  const double step = (r < 1.5 ? 1 : r < 3 ? 2 : r < 7 ? 5 : 10) * mag;
  for (double x = std::ceil(lo / step - 1e-9) * step; x <= hi + step * 1e-9; x += step)
    t.push_back(std::abs(x) < step * 1e-9 ? 0.0 : x);
  return t;
}

void paint_colorbar(QPainter& p, const QRect& rect, ColorMap map, double lo, double hi,
                    const QString& unit, int ticks) {
  p.save();
  const QFontMetrics fm(p.font());
  const int top = rect.top() + fm.height() + 4, bottom = rect.bottom() - fm.height() / 2;
  const int bar_w = std::max(8, rect.width() * 2 / 5);
  const QRect bar(rect.left(), top, bar_w, std::max(bottom - top, 2));
  QLinearGradient g(bar.bottomLeft(), bar.topLeft());
  for (int i = 0; i <= 32; ++i) g.setColorAt(i / 32.0, map_color(map, i / 32.0));
  p.fillRect(bar, g);
  p.setPen(p.pen().color());
  p.drawRect(bar.adjusted(0, 0, -1, -1));
  p.drawText(QRect(rect.left(), rect.top(), rect.width(), fm.height()), Qt::AlignLeft, unit);
  if (hi > lo) {
    for (double t : nice_ticks(lo, hi, ticks)) {
      const int y = bar.bottom() - int((t - lo) / (hi - lo) * bar.height());
      p.drawLine(bar.right(), y, bar.right() + 4, y);
      p.drawText(bar.right() + 6, y + fm.ascent() / 2 - 1, QString::number(t, 'g', 3));
    }
  }
  p.restore();
}

QImage render_colorbar(ColorMap map, double lo, double hi, const QString& unit, QSize size) {
  QImage img(size, QImage::Format_ARGB32_Premultiplied);
  img.fill(Qt::transparent);
  QPainter p(&img);
  p.setPen(Qt::black);
  paint_colorbar(p, img.rect().adjusted(2, 2, -2, -2), map, lo, hi, unit);
  return img;
}

}  // namespace dotakv::viz
