// viz helpers: slice extraction and plane mapping, MIPs, CT window/level and dose wash, marching
// squares isolines (against analytic circles), colour bar ticks, CT edit shapes. Expected values
// come from independent loops or closed-form geometry, never from the code under test.
#include <QtTest>
#include <cmath>
#include <numbers>

#include "dotakv/viz/colorbar.hpp"
#include "dotakv/viz/contour.hpp"
#include "dotakv/viz/slice.hpp"
#include "edit_panel.hpp"

using namespace dotakv;
using namespace dotakv::viz;

namespace {
Volume ramp_volume(int s, int r, int c) {
  Volume v(s, r, c);
  v.spacing_mm = {2.0, 1.5, 1.0};
  for (int z = 0; z < s; ++z)
    for (int y = 0; y < r; ++y)
      for (int x = 0; x < c; ++x) v.at(z, y, x) = float(z * 10000 + y * 100 + x);
  return v;
}
Slice2D radial(int n, double cx, double cy) {
  Slice2D s;
  s.width = s.height = n;
  s.values.resize(size_t(n) * n);
  for (int v = 0; v < n; ++v)
    for (int u = 0; u < n; ++u)
      s.values[size_t(v) * n + u] = float(std::hypot(u + 0.5 - cx, v + 0.5 - cy));
  return s;
}
}  // namespace

class TestViz : public QObject {
  Q_OBJECT
 private slots:
  void sliceExtractionMatchesVoxels() {
    const Volume v = ramp_volume(7, 5, 4);
    for (auto p : {Plane::Lateral, Plane::DepthRow, Plane::DepthCol}) {
      const int n = plane_count(v, p);
      QCOMPARE(n, p == Plane::Lateral ? 7 : p == Plane::DepthRow ? 4 : 5);
      for (int i = 0; i < n; ++i) {
        const Slice2D s = extract_slice(v, p, i);
        for (int vv = 0; vv < s.height; ++vv)
          for (int u = 0; u < s.width; ++u) {
            const auto zyx = voxel_of(p, i, u, vv);
            // decode the ramp value independently
            const float val = s.at(u, vv);
            QCOMPARE(int(val) / 10000, zyx[0]);
            QCOMPARE(int(val) / 100 % 100, zyx[1]);
            QCOMPARE(int(val) % 100, zyx[2]);
            QCOMPARE(pixel_of(p, zyx), QPoint(u, vv));
            QCOMPARE(plane_index(p, zyx), i);
          }
      }
    }
    const Slice2D d = extract_slice(v, Plane::DepthRow, 0);
    QCOMPARE(d.width, 7);
    QCOMPARE(d.height, 5);
    QCOMPARE(d.pixel_mm, QSizeF(2.0, 1.5));
    QVERIFY(extract_slice(Volume(), Plane::Lateral, 0).empty());
  }

  void maxProjectionEqualsBruteForce() {
    Volume v(6, 5, 4);
    unsigned s = 7;
    for (float& x : v.data) x = float((s = s * 1103515245u + 12345u) % 1000) / 10.f;
    const Slice2D lat = max_projection(v, Plane::Lateral);
    for (int y = 0; y < 5; ++y)
      for (int x = 0; x < 4; ++x) {
        float m = -1;
        for (int z = 0; z < 6; ++z) m = std::max(m, v.at(z, y, x));
        QCOMPARE(lat.at(x, y), m);
      }
    const Slice2D dr = max_projection(v, Plane::DepthRow);  // along x
    for (int z = 0; z < 6; ++z)
      for (int y = 0; y < 5; ++y) {
        float m = -1;
        for (int x = 0; x < 4; ++x) m = std::max(m, v.at(z, y, x));
        QCOMPARE(dr.at(z, y), m);
      }
  }

  void windowLevelMapsToGrey() {
    Slice2D s;
    s.width = 4;
    s.height = 1;
    s.values = {-1000.f, 40.f, 240.f, std::numeric_limits<float>::quiet_NaN()};
    const QImage img = render_ct(s, {400, 40});
    QCOMPARE(qRed(img.pixel(0, 0)), 0);                   // below the window
    QVERIFY(std::abs(qRed(img.pixel(1, 0)) - 128) <= 1);  // level -> mid grey
    QCOMPARE(qRed(img.pixel(2, 0)), 255);                 // level + window/2
    QCOMPARE(qRed(img.pixel(3, 0)), 0);                   // NaN drawn black
  }

  void doseWashRespectsCutAndOpacity() {
    Slice2D ct;
    ct.width = 3;
    ct.height = 1;
    ct.values = {40, 40, 40};
    QImage img = render_ct(ct, {400, 40});
    Slice2D d = ct;
    d.values = {0.05f, 1.0f, 0.5f};
    DoseWash w;
    w.lo = 0;
    w.hi = 1;
    w.cut = 0.1;
    w.opacity = 1.0;
    w.map = ColorMap::Jet;
    const QRgb grey = img.pixel(0, 0);
    overlay_dose(img, d, w);
    QCOMPARE(img.pixel(0, 0), grey);                                 // below the cut: untouched
    QCOMPARE(img.pixel(1, 0), map_color(ColorMap::Jet, 1.0).rgb());  // opacity 1: pure colour
    QCOMPARE(img.pixel(2, 0), map_color(ColorMap::Jet, 0.5).rgb());
  }

  void isolineOfARadialFieldIsACircle_data() {
    QTest::addColumn<double>("radius");
    QTest::newRow("r=5") << 5.0;
    QTest::newRow("r=9.3") << 9.3;
    QTest::newRow("r=14") << 14.0;
  }
  void isolineOfARadialFieldIsACircle() {
    QFETCH(double, radius);
    const double cx = 16.2, cy = 15.7;
    const Slice2D s = radial(32, cx, cy);
    const auto segs = marching_squares(s, radius);
    QVERIFY(!segs.empty());
    double length = 0;
    for (const auto& l : segs) {
      for (QPointF p : {l.p1(), l.p2()}) {
        // linear interpolation of |r| between pixel centres: error well below half a pixel
        QVERIFY(std::abs(std::hypot(p.x() - cx, p.y() - cy) - radius) < 0.1);
      }
      length += l.length();
    }
    // total length ~ circumference (inscribed polygon: slightly shorter)
    const double circ = 2 * std::numbers::pi * radius;
    QVERIFY(length < circ * 1.001 && length > circ * 0.97);
  }

  void isolineOutsideTheRangeIsEmpty() {
    const Slice2D s = radial(16, 8, 8);
    QVERIFY(marching_squares(s, 1000).empty());
    QVERIFY(marching_squares(s, -1).empty());
  }

  void saddleCellGivesTwoSegments() {
    Slice2D s;
    s.width = s.height = 2;
    s.values = {1, 0, 0, 1};  // diagonal high corners
    QCOMPARE(marching_squares(s, 0.5).size(), size_t(2));
  }

  void isodoseLinesUseTheUsualColours() {
    QCOMPARE(isodose_color(100), QColor(255, 0, 0));
    QCOMPARE(isodose_color(90), QColor(255, 255, 0));
    QCOMPARE(isodose_color(50), QColor(0, 220, 255));
    const Slice2D s = radial(32, 16, 16);
    // "dose" = 20 - r, reference 20: the 50 % line is the circle r = 10
    Slice2D d = s;
    for (float& x : d.values) x = 20.f - x;
    const auto lines = isodose_lines(d, {50, 90}, 20.0);
    QCOMPARE(lines.size(), size_t(2));
    QCOMPARE(lines[0].level, 10.0);
    QVERIFY(!lines[0].segments.empty());
    QVERIFY(std::abs(std::hypot(lines[0].label_pos.x() - 16, lines[0].label_pos.y() - 16) - 10) <
            0.2);
  }

  void niceTicksCoverTheRange() {
    for (auto [lo, hi] : {std::pair{0.0, 100.0}, std::pair{-3.7, 3.7}, std::pair{0.0, 2.4e-9}}) {
      const auto t = nice_ticks(lo, hi, 5);
      QVERIFY(t.size() >= 3 && t.size() <= 11);
      QVERIFY(t.front() >= lo - 1e-12 * std::abs(hi) && t.back() <= hi * (1 + 1e-9) + 1e-300);
      const double step = t[1] - t[0];
      const double mant = step / std::pow(10.0, std::floor(std::log10(step)));
      QVERIFY(std::abs(mant - 1) < 1e-6 || std::abs(mant - 2) < 1e-6 || std::abs(mant - 5) < 1e-6);
    }
  }

  void sphereEditHasTheSphereVolume() {
    Volume ct(100, 40, 40, 0.f);
    ct.spacing_mm = {1.0, 1.0, 1.0};
    dotakv::gui::ShapeEdit e;
    e.kind = dotakv::gui::ShapeEdit::Sphere;
    e.hu = 1200;
    e.depth_mm = 50;
    e.size_mm = 20;  // diameter
    const Volume out = dotakv::gui::apply_shape(ct, e);
    long n = 0;
    for (float x : out.data) n += x == 1200.f;
    const double expected = 4.0 / 3.0 * std::numbers::pi * 1000.0;  // r = 10 mm, 1 mm voxels
    QVERIFY(std::abs(n - expected) / expected < 0.05);
    QCOMPARE(dotakv::gui::first_changed_slice(ct, out), 40);  // centres 40.5 >= 40
    const Volume back = dotakv::gui::restore_shape(out, ct, e);
    QVERIFY(back.data == ct.data);
  }
};

QTEST_MAIN(TestViz)
#include "test_viz.moc"
