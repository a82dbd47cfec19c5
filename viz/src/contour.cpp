#include "dotakv/viz/contour.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace dotakv::viz {

std::vector<QLineF> marching_squares(const Slice2D& s, double level) {
  std::vector<QLineF> out;
  if (s.width < 2 || s.height < 2) return out;
  auto val = [&](int u, int v) {
    const double x = s.at(u, v);
    return std::isfinite(x) ? x : -std::numeric_limits<double>::infinity();
  };
  // Crossing point on the edge between corners a (value fa) and b (value fb).
  auto cross = [&](QPointF a, double fa, QPointF b, double fb) {
    double t = 0.5;
    if (std::isfinite(fa) && std::isfinite(fb) && fb != fa)
      t = std::clamp((level - fa) / (fb - fa), 0.0, 1.0);
    else if (!std::isfinite(fa))
      t = 0.0;
    else if (!std::isfinite(fb))
      t = 1.0;
    return a + (b - a) * t;
  };
  for (int v = 0; v + 1 < s.height; ++v)
    for (int u = 0; u + 1 < s.width; ++u) {
      // corners: 0 (u,v) 1 (u+1,v) 2 (u+1,v+1) 3 (u,v+1); centre of pixel at +0.5
      const std::array<double, 4> f{val(u, v), val(u + 1, v), val(u + 1, v + 1), val(u, v + 1)};
      const std::array<QPointF, 4> p{QPointF(u + .5, v + .5), QPointF(u + 1.5, v + .5),
                                     QPointF(u + 1.5, v + 1.5), QPointF(u + .5, v + 1.5)};
      int code = 0;
      for (int k = 0; k < 4; ++k)
        if (f[k] >= level) code |= 1 << k;
      if (code == 0 || code == 15) continue;
      auto e = [&](int k) { return cross(p[k], f[k], p[(k + 1) % 4], f[(k + 1) % 4]); };
      // edges: 0 = (0,1) top, 1 = (1,2) right, 2 = (2,3) bottom, 3 = (3,0) left
      auto seg = [&](int a, int b) { out.emplace_back(e(a), e(b)); };
      switch (code) {
        case 1:
        case 14:
          seg(3, 0);
          break;
        case 2:
        case 13:
          seg(0, 1);
          break;
        case 3:
        case 12:
          seg(3, 1);
          break;
        case 4:
        case 11:
          seg(1, 2);
          break;
        case 6:
        case 9:
          seg(0, 2);
          break;
        case 7:
        case 8:
          seg(2, 3);
          break;
        case 5:
        case 10: {
          double c = 0;
          for (double x : f) c += std::isfinite(x) ? x : 0.0;
          const bool centre_high = c / 4 >= level;
          // code 5: corners 0 and 2 high
          if ((code == 5) == centre_high) {
            seg(0, 1);
            seg(2, 3);
          } else {
            seg(3, 0);
            seg(1, 2);
          }
          break;
        }
        default:
          break;
      }
    }
  return out;
}

QColor isodose_color(double percent) {
  struct Stop {
    double p;
    QColor c;
  };
  static const std::array<Stop, 9> stops{{{10, QColor(0, 0, 160)},
                                          {30, QColor(0, 90, 255)},
                                          {50, QColor(0, 220, 255)},
                                          {70, QColor(0, 200, 120)},
                                          {80, QColor(0, 230, 0)},
                                          {90, QColor(255, 255, 0)},
                                          {95, QColor(255, 160, 0)},
                                          {100, QColor(255, 0, 0)},
                                          {110, QColor(255, 0, 255)}}};
  if (percent <= stops.front().p) return stops.front().c;
  if (percent >= stops.back().p) return stops.back().c;
  for (size_t i = 0; i + 1 < stops.size(); ++i)
    if (percent <= stops[i + 1].p) {
      const double t = (percent - stops[i].p) / (stops[i + 1].p - stops[i].p);
      const QColor a = stops[i].c, b = stops[i + 1].c;
      return QColor(int(a.red() + t * (b.red() - a.red())),
                    int(a.green() + t * (b.green() - a.green())),
                    int(a.blue() + t * (b.blue() - a.blue())));
    }
  return stops.back().c;
}

std::vector<IsoLine> isodose_lines(const Slice2D& dose, const std::vector<double>& percent,
                                   double reference) {
  std::vector<IsoLine> lines;
  for (double pct : percent) {
    IsoLine l;
    l.level = pct / 100.0 * reference;
    l.color = isodose_color(pct);
    l.segments = marching_squares(dose, l.level);
    if (!l.segments.empty()) {
      // label at the segment farthest along u (distal edge of the beam in depth planes)
      const auto it = std::max_element(
          l.segments.begin(), l.segments.end(),
          [](const QLineF& a, const QLineF& b) { return a.center().x() < b.center().x(); });
      l.label_pos = it->center();
    }
    lines.push_back(std::move(l));
  }
  return lines;
}

}  // namespace dotakv::viz
