// CaseModel: the studio's single source of truth. Wraps a dotakv::Case (CT + energy + named
// doses) plus what every view shares: the selected reference/evaluated doses, the crosshair
// voxel, display settings (window/level, dose wash, isodose levels) and derived maps (gamma).
// Views read from it and call its setters; they never talk to each other directly.
//
// Signals: caseChanged (new case: everything changes), ctChanged (CT edited), doseChanged(name)
// (a dose was added/replaced/updated slice by slice while streaming), dosesListChanged (names
// added/removed), selectionChanged (reference/evaluated), crosshairChanged, displayChanged,
// gammaChanged. Lives in the GUI thread; workers hand results back through queued signals.
#pragma once
#include <QObject>
#include <QString>
#include <QStringList>
#include <array>
#include <optional>
#include <vector>

#include "dotakv/case_file.hpp"
#include "dotakv/gamma.hpp"

namespace dotakv::gui {

enum class DoseUnit { Gy, Percent };

struct DisplaySettings {
  double window = 400.0, level = 40.0;            // CT, HU
  DoseUnit unit = DoseUnit::Percent;              // % of the reference dose maximum, or Gy
  double wash_lo_pct = 0.0, wash_hi_pct = 100.0;  // colour range, % of reference max
  double cut_pct = 5.0;                           // wash hidden below this, % of reference max
  double opacity = 0.5;
  bool show_wash = true, show_isodose = true, show_crosshair = true;
  std::vector<double> isodose_pct{10, 30, 50, 70, 90, 95, 100};
};

struct GammaSettings {
  double dose_pct = 1.0, dist_mm = 3.0, threshold_pct = 10.0;
  bool local = false;
};
// The core's options for these settings (max γ 2, 20 histogram bins, as the Compare tab shows).
physics::GammaOptions gamma_options(const GammaSettings& s);

class CaseModel : public QObject {
  Q_OBJECT
 public:
  explicit CaseModel(QObject* parent = nullptr);

  bool hasCase() const { return !case_.ct.data.empty(); }
  const Case& data() const { return case_; }
  const Volume& ct() const { return case_.ct; }
  double energy() const { return case_.energy_mev; }
  QString filePath() const { return path_; }
  QString displayName() const { return name_; }
  bool modified() const { return modified_; }
  void setModified(bool m) { modified_ = m; }

  // Replaces the whole case (validated by the caller / loader). Picks reference = first dose
  // whose name contains "mc" (else the first), evaluated = first dose containing "model"/"dota"
  // (else the second, else the reference); crosshair -> Bragg peak of the reference on the axis.
  void setCase(Case c, const QString& path, const QString& name);
  void setCt(Volume ct);  // same grid required (ShapeError otherwise)

  QStringList doseNames() const;
  const Dose* dose(const QString& name) const;
  void setDose(const QString& name, Dose d);
  // Streaming update: replaces the dose volume (attributes kept), emits doseChanged.
  void updateDoseVolume(const QString& name, const Volume& v);
  void removeDose(const QString& name);

  QString referenceName() const { return ref_; }
  QString evaluatedName() const { return eval_; }
  const Dose* reference() const { return dose(ref_); }
  const Dose* evaluated() const { return dose(eval_); }
  void setReference(const QString& n);
  void setEvaluated(const QString& n);
  // Maximum of the reference dose (the 100 % value); 1 if none.
  double referenceMax() const;

  std::array<int, 3> crosshair() const { return cross_; }  // (z, y, x)
  void setCrosshair(int z, int y, int x);

  const DisplaySettings& display() const { return display_; }
  void setDisplay(const DisplaySettings& d);

  // Gamma map of evaluated vs reference (NaN below the threshold), set by the comparison worker;
  // cleared whenever either dose or the selection changes.
  const Volume* gamma() const { return gamma_ ? &*gamma_ : nullptr; }
  void setGamma(Volume g, const GammaSettings& s, double pass_rate);
  GammaSettings gammaSettings() const { return gamma_settings_; }
  double gammaPassRate() const { return pass_rate_; }

  // Values at the crosshair (or any voxel).
  struct Readout {
    std::array<int, 3> voxel{0, 0, 0};
    std::array<double, 3> mm{0, 0, 0};  // voxel centre, (depth, row, col) in mm
    double hu = 0, rsp = 0;
    std::vector<std::pair<QString, double>> doses;  // Gy per primary
    std::optional<double> difference;               // evaluated - reference, Gy
    std::optional<double> gamma;
  };
  Readout readout(const std::array<int, 3>& zyx) const;

 signals:
  void caseChanged();
  void ctChanged();
  void doseChanged(const QString& name);
  void dosesListChanged();
  void selectionChanged();
  void crosshairChanged();
  void displayChanged();
  void gammaChanged();

 private:
  void clearGamma();
  Case case_;
  QString path_, name_, ref_, eval_;
  bool modified_ = false;
  std::array<int, 3> cross_{0, 0, 0};
  DisplaySettings display_;
  std::optional<Volume> gamma_;
  GammaSettings gamma_settings_;
  double pass_rate_ = 0;
  mutable std::optional<double> ref_max_;
};

// HU -> relative stopping power (physics helper's calibration if available).
double hu_to_rsp(double hu);

}  // namespace dotakv::gui
