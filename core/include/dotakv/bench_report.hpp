// Report content, independent of how it is drawn (issue 7 §6). The core builds a Report from a
// benchmark results document and/or a case file; `dotakv report` renders it to HTML with inline
// SVG charts and images (render_html, Qt-free); the studio and the Qt program `dotakv-report`
// draw the same Report with Qt Charts / QPainter into PDF (gui/src/report_writer.hpp), so both
// formats show the same numbers.
//
// Charts built from a results document (docs/format_bench.md):
//   speedup_vs_batch   bars, x = batch, one series per compared setting (and slice count),
//                      y = speedup vs the reference with its 95 % CI as whiskers
//   time_vs_slices     lines, x = slices, y = median latency, one series per setting (and batch)
//   cold_vs_warm       bars, one category per result, series "cold" and "warm median"
//   cache_vs_slices    lines, x = slices, y = cache MB in use, one series per cached setting
// Case part (case_file.hpp + physics analysis/gamma): for every dose a side view through the
// beam axis and a maximum-intensity projection; for the second and later doses the difference
// to the first and its gamma map (criteria from CaseReportOptions), with pass rates and dose
// metrics (max, R80, peak depth, max |difference|); images carry colour bars (ReportImage::unit).
#pragma once
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "dotakv/gamma.hpp"

namespace dotakv::bench {

struct ReportTable {
  std::string caption;
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
};
struct ChartSeries {
  std::string name;
  std::vector<double> x, y;
  std::vector<double> lo, hi;  // optional error bars (same length as y) — CI whiskers
};
struct ReportChart {
  std::string id, title, kind;  // kind: "bar" (x = category index) | "line"
  std::string x_label, y_label;
  std::vector<std::string> categories;  // bar charts: label of x = 0, 1, ...
  std::vector<ChartSeries> series;
  bool log_y = false;
};
struct ReportImage {
  std::string id, caption;
  int width = 0, height = 0;  // pixels (row-major values[height][width])
  std::vector<float> values;
  float vmin = 0, vmax = 1;
  std::string colormap = "dose";  // dose | diverging | gamma | gray
  double aspect = 1.0;            // pixel height / width (mm ratio)
  std::string unit;               // colour bar label ("Gy/primary", "HU", "gamma"); "": no bar
};
struct ReportSection {
  std::string title;
  std::vector<std::string> paragraphs;
  std::vector<ReportTable> tables;
  std::vector<ReportChart> charts;
  std::vector<ReportImage> images;
};
struct Report {
  std::string title, created, version;  // version: "dotakv 0.1.0 (git rev)"
  std::vector<ReportSection> sections;
};

// Charts of a results document (see header comment); empty series are left out.
std::vector<ReportChart> bench_charts(const nlohmann::json& results_doc);
// Sections: settings & method, machine, results table, charts, cost model vs measured.
std::vector<ReportSection> bench_sections(const nlohmann::json& results_doc);

// Defaults: physics::GammaDefaults (shared with `dotakv compare` and the studio).
struct CaseReportOptions {
  std::string gamma_criteria = physics::GammaDefaults::criteria;
  double threshold_percent = physics::GammaDefaults::threshold_percent;  // % of reference max
  bool local = physics::GammaDefaults::local;
  std::string case_name;  // shown as the case; empty: the file name of case_path
};
// Sections for a case file (throws the case reader's errors). Doses are the case's volumes
// except uncertainty maps (name containing "stderr"), which are listed and shown separately;
// dose attributes appear as "key: value" text, not JSON. Every image carries a colour bar.
std::vector<ReportSection> case_sections(const std::string& case_path,
                                         const CaseReportOptions& o = {});

// Title, creation date (UTC) and software version filled in.
Report make_report(const std::string& title);
// Self-contained HTML (inline SVG charts and images, no external files).
std::string render_html(const Report& r);
// RGB of a colormap at t in [0,1] (shared by the SVG and Qt renderers).
void colormap_rgb(const std::string& name, double t, int& r, int& g, int& b);
// printf-style formatting of one number, e.g. format_number("%.1f", 3.14159) == "3.1".
std::string format_number(const char* printf_format, double v);
// A duration for tables: "12.34 ms" below one second, "1.234 s" from one second on.
std::string format_duration(double seconds);

}  // namespace dotakv::bench
