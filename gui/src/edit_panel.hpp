// CT edit tool: insert or move a block/sphere of bone, lung, air or tissue (or any HU) at a
// chosen depth, or paint HU in a slice (a disc around the crosshair, or a brush: left-drag in the
// slice views while "Paint with the mouse" is on). Every edit is
// a QUndoCommand holding the CT before and after; applying/undoing it updates the CaseModel and
// reports the first changed slice so the dose is recomputed with prefix reuse (tokens of the
// slices before it keep their cached K/V).
#pragma once
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QPushButton>
#include <QUndoCommand>
#include <QUndoStack>
#include <QWidget>
#include <functional>
#include <optional>

#include "case_model.hpp"

class QFormLayout;

namespace dotakv::gui {

struct ShapeEdit {
  enum Kind { Block, Sphere } kind = Block;
  double hu = 1200;
  double depth_mm = 60;                     // centre depth along the beam
  double size_mm = 20;                      // block: thickness along the beam; sphere: diameter
  double width_mm = 30;                     // block: lateral width (square)
  double offset_x_mm = 0, offset_y_mm = 0;  // lateral centre relative to the beam axis
};

// Returns `ct` with the shape filled with its HU (voxel centres inside). Pure.
Volume apply_shape(const Volume& ct, const ShapeEdit& e);
// Voxels inside the shape set to the values of `original` (to move a shape away). Pure.
Volume restore_shape(const Volume& ct, const Volume& original, const ShapeEdit& e);
// Disc of radius r_mm in lateral slice z around (y, x) set to hu. Pure.
Volume paint_disc(const Volume& ct, int z, int y, int x, double r_mm, double hu);
// First slice where a and b differ (-1 if equal).
int first_changed_slice(const Volume& a, const Volume& b);

// Sets the CT to `after` (redo) / `before` (undo) and calls `changed(first_changed_slice)`.
class CtEditCommand : public QUndoCommand {
 public:
  CtEditCommand(CaseModel* model, Volume before, Volume after, const QString& text,
                std::function<void(int)> changed);
  void redo() override;
  void undo() override;

 private:
  CaseModel* model_;
  Volume before_, after_;
  int first_;
  std::function<void(int)> changed_;
};

class EditPanel : public QWidget {
  Q_OBJECT
 public:
  EditPanel(CaseModel* model, QUndoStack* stack, QWidget* parent = nullptr);
  ShapeEdit currentShape() const;
  void setShape(const ShapeEdit& s);
  // Actions (also the buttons' handlers); return false if there is no case.
  bool insertShape();
  bool moveLastShape();
  bool paintAtCrosshair();
  // Brush strokes from a slice view in paint mode: each call paints a disc (live, no
  // recompute); strokeFinished() makes the whole stroke one undoable edit and recomputes.
  void strokePaint(const std::array<int, 3>& zyx);
  void strokeFinished();
  bool brushEnabled() const;
  void retranslate();

 signals:
  // The CT changed from this slice on (edit applied or undone): recompute with prefix reuse.
  void ctEdited(int first_changed_slice);
  // The "paint with the mouse" toggle changed (the main window switches the views' paint mode).
  void brushToggled(bool on);

 protected:
  void changeEvent(QEvent* e) override;

 private:
  void push(Volume after, const QString& text);
  CaseModel* model_;
  QUndoStack* stack_;
  QFormLayout* form_;
  QComboBox *shape_, *material_;
  QDoubleSpinBox *hu_, *depth_, *size_, *width_, *ox_, *oy_, *radius_;
  QPushButton *insert_, *move_, *paint_, *brush_, *undo_, *redo_;
  std::optional<Volume> stroke_before_, stroke_;
  QLabel* hint_;
  std::optional<ShapeEdit> last_;
  std::optional<Volume> before_last_;
};

}  // namespace dotakv::gui
