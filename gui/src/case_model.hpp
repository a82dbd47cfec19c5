// CaseModel: the studio's single source of truth. Wraps a dotakv::Case (CT + energy + named
// doses) plus what every view shares: the selected reference/evaluated doses, the crosshair
// voxel, display settings (window/level, dose wash, isodose levels) and derived maps (gamma).
// Views read from it and call its setters; they never talk to each other directly.
//
// Signals: caseChanged (new case: everything changes), ctChanged (CT edited), doseChanged(name)
// (a dose was added/replaced/updated slice by slice while streaming), dosesListChanged (names
// added/removed), selectionChanged (reference/evaluated), crosshairChanged, displayChanged,
// gammaChanged, stalenessChanged (a dose became stale or fresh). Lives in the GUI thread;
// workers hand results back through queued signals.
//
// Staleness: every dose remembers the fingerprint of the CT it was computed on (doses read from
// a file: that file's CT, or the "ct_fingerprint" attribute the studio writes). After a CT edit
// every dose whose CT differs is stale ("stale: computed on the CT before edit N", N counted on
// the undo stack, see setEditNumber); undoing back to its CT makes it fresh again.
// Uncertainty partners: "<name>_stderr" belongs to "<name>"; setDose() replaces or drops it, so a
// dose is never shown with another dose's uncertainty.
#pragma once
#include <QObject>
#include <QString>
#include <QStringList>
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <vector>

#include "dotakv/case_file.hpp"
#include "dotakv/gamma.hpp"

class QComboBox;

namespace dotakv::gui {

// Percent: % of the reference maximum. Gy: Gy per primary proton (what every engine computes).
// GyAbsolute: Gy for DisplaySettings::protons protons (dose x N).
enum class DoseUnit { Gy, Percent, GyAbsolute };

struct DisplaySettings {
  double window = 400.0, level = 40.0;            // CT, HU
  DoseUnit unit = DoseUnit::Percent;              // % of reference max, Gy/primary, Gy for N
  double protons = 1e9;                           // N for DoseUnit::GyAbsolute
  double wash_lo_pct = 0.0, wash_hi_pct = 100.0;  // colour range, % of reference max
  double cut_pct = 5.0;                           // wash hidden below this, % of reference max
  double opacity = 0.5;
  bool show_wash = true, show_isodose = true, show_crosshair = true;
  std::vector<double> isodose_pct{10, 30, 50, 70, 90, 95, 100};
};

// Defaults: physics::GammaDefaults (shared with `dotakv compare` and `dotakv report`).
struct GammaSettings {
  double dose_pct = physics::GammaDefaults::dose_percent;
  double dist_mm = physics::GammaDefaults::dta_mm;
  double threshold_pct = physics::GammaDefaults::threshold_percent;  // % of reference max
  bool local = physics::GammaDefaults::local;
};
// The core's options for these settings (max γ 2, 20 histogram bins, as the Compare tab shows).
physics::GammaOptions gamma_options(const GammaSettings& s);

// Factor from Gy per primary to the display unit's Gy (1, or N protons); and the axis label
// ("Gy per primary", "Gy for 1e+09 protons", "% of reference max").
double dose_unit_scale(const DisplaySettings& d);
QString dose_unit_label(const DisplaySettings& d);

// 64-bit FNV-1a over the CT's grid and values: which CT a dose was computed on.
uint64_t ct_fingerprint(const Volume& ct);

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
  // Adds or replaces a dose computed on the CT with fingerprint `computed_on` (default: the
  // current CT). Its partner "<name>_stderr" is replaced by `uncertainty`, or removed if none.
  void setDose(const QString& name, Dose d, std::optional<Dose> uncertainty = std::nullopt,
               std::optional<uint64_t> computed_on = std::nullopt);
  // Streaming update: replaces the dose volume (attributes kept), emits doseChanged.
  void updateDoseVolume(const QString& name, const Volume& v);
  void removeDose(const QString& name);

  QString referenceName() const { return ref_; }
  QString evaluatedName() const { return eval_; }
  const Dose* reference() const { return dose(ref_); }
  const Dose* evaluated() const { return dose(eval_); }
  void setReference(const QString& n);
  void setEvaluated(const QString& n);
  // Staleness (see the header comment). staleNote: empty when fresh, else the translated
  // "stale: computed on the CT before edit N".
  bool isStale(const QString& name) const;
  QString staleNote(const QString& name) const;
  QStringList staleDoses() const;
  // A dose name with " (stale)" appended when stale: for lists and read-outs.
  QString doseLabel(const QString& name) const;
  uint64_t ctFingerprint() const { return ct_fp_; }
  // The undo stack's index (number of edits applied); MainWindow keeps it current.
  void setEditNumber(int n);
  // Uncertainty maps ("*_stderr", "quantity" = "standard_error") are not doses to compare.
  static bool isUncertainty(const QString& name, const Dose* d = nullptr);

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
  void stalenessChanged();

 private:
  void clearGamma();
  void eraseDose(const QString& name);
  Case case_;
  QString path_, name_, ref_, eval_;
  bool modified_ = false;
  std::array<int, 3> cross_{0, 0, 0};
  DisplaySettings display_;
  std::optional<Volume> gamma_;
  GammaSettings gamma_settings_;
  double pass_rate_ = 0;
  mutable std::optional<double> ref_max_;
  uint64_t ct_fp_ = 0;
  int edit_number_ = 0;
  std::map<QString, uint64_t> dose_ct_;  // dose -> fingerprint of its CT
  std::map<uint64_t, int> fp_edit_;      // CT fingerprint -> edits applied when it was current
};

// Fills a dose selector: item text doseLabel(name) (" (stale)" appended), item data the name,
// tooltip the stale note; selects `current`. Signals blocked while filling.
void fill_dose_combo(QComboBox* box, const CaseModel* model, const QString& current);

// HU -> relative stopping power (physics helper's calibration if available).
double hu_to_rsp(double hu);

}  // namespace dotakv::gui
