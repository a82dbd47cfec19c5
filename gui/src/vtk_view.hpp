// VtkView: VTK rendering inside a Qt 6 QOpenGLWidget (VTK's own Qt widgets are built against
// Qt 5 on Debian 12 and must not be linked; recipe in ../shared/notes/platform.md). The widget
// owns a vtkGenericOpenGLRenderWindow that renders into its own framebuffer in Qt's context;
// paintGL blits that framebuffer into Qt's. Mouse: left-drag rotates (azimuth/elevation),
// right-drag or wheel zooms, middle-drag pans; resetCamera() restores the default view.
// View3DPanel: the 3-D tab — CT surfaces or volume rendering, isodose surfaces of the evaluated
// dose at the panel's isodose levels, the beam axis, and a legend of the surfaces' colours.
#pragma once
#include <vtkGenericOpenGLRenderWindow.h>
#include <vtkNew.h>
#include <vtkRenderer.h>
#include <vtkSmartPointer.h>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QOpenGLWidget>
#include <QPushButton>

#include "case_model.hpp"

class vtkGenericOpenGLRenderWindow;
class vtkRenderer;

namespace dotakv::gui {

class VtkView : public QOpenGLWidget {
  Q_OBJECT
 public:
  explicit VtkView(QWidget* parent = nullptr);
  ~VtkView() override;
  vtkRenderer* renderer() const { return renderer_; }
  void resetCamera();
  // Call before QApplication: OpenGL 3.2 core, 24-bit depth (VTK's requirement).
  static void setDefaultSurfaceFormat();

 protected:
  void initializeGL() override;
  void paintGL() override;
  void resizeGL(int w, int h) override;
  void mousePressEvent(QMouseEvent*) override;
  void mouseMoveEvent(QMouseEvent*) override;
  void wheelEvent(QWheelEvent*) override;

 private:
  vtkSmartPointer<vtkGenericOpenGLRenderWindow> window_;
  vtkSmartPointer<vtkRenderer> renderer_;
  QPointF last_;
  bool initialized_ = false;
};

class View3DPanel : public QWidget {
  Q_OBJECT
 public:
  explicit View3DPanel(CaseModel* model, QWidget* parent = nullptr);
  VtkView* view() const { return view_; }
  void rebuild();
  void retranslate();
  void setVolumeRendering(bool on) { ct_mode_->setCurrentIndex(on ? 1 : 0); }

 protected:
  void changeEvent(QEvent* e) override;
  void showEvent(QShowEvent* e) override;

 private:
  CaseModel* model_;
  VtkView* view_;
  QComboBox* ct_mode_;
  QCheckBox* beam_;
  void updateLegend(const std::vector<double>& percent, bool have_dose);
  QLineEdit* levels_;
  QLabel *levels_label_, *legend_;
  QPushButton* reset_;
  bool dirty_ = true;
};

}  // namespace dotakv::gui
