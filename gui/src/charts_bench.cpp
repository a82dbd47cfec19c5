#include "charts_bench.hpp"

#include <QFile>
#include <QGraphicsLayout>
#include <QPainter>
#include <QSaveFile>
#include <QSvgGenerator>
#include <QTemporaryFile>
#include <QtCharts/QAreaSeries>
#include <QtCharts/QCategoryAxis>
#include <QtCharts/QChartView>
#include <QtCharts/QLegendMarker>
#include <QtCharts/QLineSeries>
#include <QtCharts/QLogValueAxis>
#include <QtCharts/QScatterSeries>
#include <QtCharts/QValueAxis>
#include <cmath>

namespace dotakv::gui {

namespace {

const QColor kPalette[] = {QColor("#1f77b4"), QColor("#d62728"), QColor("#2ca02c"),
                           QColor("#ff7f0e"), QColor("#9467bd"), QColor("#8c564b"),
                           QColor("#e377c2"), QColor("#17becf")};

void hide_marker(QChart* c, QAbstractSeries* s) {
  for (auto* m : c->legend()->markers(s)) m->setVisible(false);
}

QLineSeries* segment(QChart* c, QPointF a, QPointF b, QColor col) {
  auto* s = new QLineSeries;
  s->append(a);
  s->append(b);
  QPen pen(col);
  pen.setWidthF(1.5);
  s->setPen(pen);
  c->addSeries(s);
  hide_marker(c, s);
  return s;
}

}  // namespace

QChart* make_bench_chart(const dotakv::bench::ReportChart& spec) {
  auto* chart = new QChart;
  chart->setTitle(QString::fromStdString(spec.title));
  chart->setAnimationOptions(QChart::NoAnimation);
  chart->legend()->setAlignment(Qt::AlignRight);
  const bool bar = spec.kind == "bar";
  double ymin = bar ? 0 : 1e300, ymax = -1e300, xmin = 1e300, xmax = -1e300;
  for (const auto& s : spec.series)
    for (size_t i = 0; i < s.y.size(); ++i) {
      ymax = std::max({ymax, s.y[i], s.hi.size() == s.y.size() ? s.hi[i] : s.y[i]});
      ymin = std::min({ymin, s.y[i], s.lo.size() == s.y.size() ? s.lo[i] : s.y[i]});
      xmin = std::min(xmin, s.x[i]);
      xmax = std::max(xmax, s.x[i]);
    }
  if (spec.series.empty() || ymax < ymin) ymin = 0, ymax = 1, xmin = 0, xmax = 1;
  const bool logy = spec.log_y && ymin > 0;
  QAbstractAxis* yaxis;
  if (logy) {
    auto* a = new QLogValueAxis;
    a->setBase(10);
    a->setLabelFormat("%.3g");
    a->setRange(ymin / 1.3, ymax * 1.3);
    yaxis = a;
  } else {
    auto* a = new QValueAxis;
    a->setRange(bar ? 0 : std::min(0.0, ymin), ymax * 1.08 + 1e-12);
    a->setLabelFormat("%.3g");
    yaxis = a;
  }
  yaxis->setTitleText(QString::fromStdString(spec.y_label));
  QAbstractAxis* xaxis;
  if (bar) {
    auto* a = new QCategoryAxis;
    a->setLabelsPosition(QCategoryAxis::AxisLabelsPositionOnValue);
    const int n = int(spec.categories.size());
    for (int i = 0; i < n; ++i) a->append(QString::fromStdString(spec.categories[i]), i);
    a->setRange(-0.6, std::max(n, 1) - 0.4);
    xaxis = a;
  } else {
    auto* a = new QValueAxis;
    const double pad = (xmax - xmin) * 0.05 + 1e-9;
    a->setRange(xmin - pad, xmax + pad);
    a->setLabelFormat("%g");
    xaxis = a;
  }
  xaxis->setTitleText(QString::fromStdString(spec.x_label));
  chart->addAxis(xaxis, Qt::AlignBottom);
  chart->addAxis(yaxis, Qt::AlignLeft);

  std::vector<QAbstractSeries*> all;
  const size_t ns = spec.series.size();
  for (size_t si = 0; si < ns; ++si) {
    const auto& s = spec.series[si];
    const QColor col = kPalette[si % 8];
    const QString name = QString::fromStdString(s.name);
    if (bar) {
      const double slot = 0.8, bw = slot / std::max<size_t>(ns, 1);
      for (size_t i = 0; i < s.y.size(); ++i) {
        const double x0 = s.x[i] - slot / 2 + bw * si, x1 = x0 + bw * 0.9;
        const double base = logy ? ymin / 1.3 : 0.0;
        // QAreaSeries does not own its boundary series: the chart does, as their parent.
        auto* up = new QLineSeries(chart);
        up->append(x0, s.y[i]);
        up->append(x1, s.y[i]);
        auto* lo = new QLineSeries(chart);
        lo->append(x0, base);
        lo->append(x1, base);
        auto* area = new QAreaSeries(up, lo);
        area->setName(name);
        area->setColor(col);
        area->setBorderColor(col.darker(130));
        chart->addSeries(area);
        all.push_back(area);
        if (i > 0) hide_marker(chart, area);
        if (s.lo.size() == s.y.size()) {
          const double cx = (x0 + x1) / 2, w = bw * 0.2;
          for (auto* seg : {segment(chart, {cx, s.lo[i]}, {cx, s.hi[i]}, Qt::black),
                            segment(chart, {cx - w, s.lo[i]}, {cx + w, s.lo[i]}, Qt::black),
                            segment(chart, {cx - w, s.hi[i]}, {cx + w, s.hi[i]}, Qt::black)})
            all.push_back(seg);
        }
      }
    } else {
      auto* line = new QLineSeries;
      line->setName(name);
      QPen pen(col);
      pen.setWidthF(2);
      line->setPen(pen);
      auto* dots = new QScatterSeries;
      dots->setColor(col);
      dots->setMarkerSize(7);
      for (size_t i = 0; i < s.y.size(); ++i) {
        line->append(s.x[i], s.y[i]);
        dots->append(s.x[i], s.y[i]);
      }
      chart->addSeries(line);
      chart->addSeries(dots);
      hide_marker(chart, dots);
      all.push_back(line);
      all.push_back(dots);
      if (s.lo.size() == s.y.size())
        for (size_t i = 0; i < s.y.size(); ++i)
          all.push_back(segment(chart, {s.x[i], s.lo[i]}, {s.x[i], s.hi[i]}, col));
    }
  }
  if (bar && spec.id == "speedup_vs_batch" && !logy) {
    auto* one = segment(chart, {-0.6, 1.0},
                        {std::max<double>(spec.categories.size(), 1) - 0.4, 1.0}, Qt::gray);
    QPen p(Qt::gray);
    p.setStyle(Qt::DashLine);
    one->setPen(p);
    all.push_back(one);
  }
  for (auto* s : all) {
    s->attachAxis(xaxis);
    s->attachAxis(yaxis);
  }
  return chart;
}

QImage render_chart_image(const dotakv::bench::ReportChart& spec, QSize size) {
  QChartView view(make_bench_chart(spec));
  view.setRenderHint(QPainter::Antialiasing);
  view.resize(size);
  view.chart()->resize(size);
  view.chart()->layout()->activate();
  QImage img(size, QImage::Format_ARGB32);
  img.fill(Qt::white);
  QPainter p(&img);
  p.setRenderHint(QPainter::Antialiasing);
  view.chart()->scene()->render(&p, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
  return img;
}

bool export_chart(const dotakv::bench::ReportChart& spec, const QString& path, QSize size,
                  QString* error) {
  QSaveFile out(path);
  if (!out.open(QIODevice::WriteOnly)) {
    if (error) *error = path + ": cannot open for writing";
    return false;
  }
  if (path.endsWith(".svg", Qt::CaseInsensitive)) {
    QChartView view(make_bench_chart(spec));
    view.resize(size);
    view.chart()->resize(size);
    view.chart()->layout()->activate();
    QSvgGenerator gen;
    gen.setOutputDevice(&out);
    gen.setSize(size);
    gen.setViewBox(QRect(QPoint(0, 0), size));
    gen.setTitle(QString::fromStdString(spec.title));
    QPainter p(&gen);
    view.chart()->scene()->render(&p, QRectF(QPointF(0, 0), size), QRectF(QPointF(0, 0), size));
    p.end();
  } else {
    if (!render_chart_image(spec, size).save(&out, "PNG")) {
      if (error) *error = path + ": PNG encoding failed";
      out.cancelWriting();
      return false;
    }
  }
  if (!out.commit()) {
    if (error) *error = path + ": write failed";
    return false;
  }
  return true;
}

QImage report_image_to_qimage(const dotakv::bench::ReportImage& im) {
  QImage img(im.width, im.height, QImage::Format_RGB32);
  const double span = im.vmax > im.vmin ? im.vmax - im.vmin : 1.0;
  for (int y = 0; y < im.height; ++y)
    for (int x = 0; x < im.width; ++x) {
      const float v = im.values[size_t(y) * im.width + x];
      int r = 128, g = 128, b = 128;
      if (!(im.colormap == "gamma" && v < 0))
        dotakv::bench::colormap_rgb(im.colormap, (v - im.vmin) / span, r, g, b);
      img.setPixel(x, y, qRgb(r, g, b));
    }
  return img;
}

}  // namespace dotakv::gui
