// Entry point of dotakv-studio (gui/main.cpp only calls run_studio):
//   dotakv-studio [CASE] [--open CASE] [--sample N]
//                 [--view slices|projections|compare|3d|bench|digits] [--digits PNG|random[:SEED]]
//                 [--digits-model FILE] [--digits-measure] [--digits-token N]
//                 [--screenshot FILE.png] [--size WxH] [--dark] [--lang de|fr|nl]
//                 [--compare-map difference|relative|gamma] [--streaming] [--cache off|on|auto]
//                 [--reference NAME] [--evaluated NAME] [--ct-volume] [--summary]
// --screenshot renders the window once every worker is idle, saves it and exits (use under
// xvfb-run). Without a display (no QT_QPA_PLATFORM, DISPLAY or WAYLAND_DISPLAY) or with
// --summary a text summary of the case is printed instead of opening a window, followed by the
// studio's main job run headless: the shipped model on the case with cache off/on and streaming,
// timed with spread, and γ against the Monte Carlo dose (headless_summary.hpp).
#pragma once
#include <QString>
#include <ostream>

#include "dotakv/case_file.hpp"

namespace dotakv::gui {

int run_studio(int argc, char** argv);
// The text summary (case file or the bundled demo when `path` is empty).
void print_case_summary(std::ostream& out, const Case& c, const QString& name);
// Loads `path` (case file or DoTA sample) or the bundled demo / a generated phantom.
Case load_case_or_demo(const QString& path, int sample, QString* name);
// The in-memory fallback demo: lateral-heterogeneity phantom (seed 3), 150 MeV, with a PBA dose.
Case generated_demo_case();

}  // namespace dotakv::gui
