#include "dotakv/viz/scene3d.hpp"

#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkColorTransferFunction.h>
#include <vtkFloatArray.h>
#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkLineSource.h>
#include <vtkOutlineFilter.h>
#include <vtkPiecewiseFunction.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkRenderer.h>
#include <vtkSmartVolumeMapper.h>
#include <vtkTubeFilter.h>
#include <vtkVolume.h>
#include <vtkVolumeProperty.h>

#include <algorithm>

#include "dotakv/viz/contour.hpp"

namespace dotakv::viz {

vtkSmartPointer<vtkImageData> to_image_data(const Volume& vol) {
  auto img = vtkSmartPointer<vtkImageData>::New();
  img->SetDimensions(vol.cols, vol.rows, vol.slices);
  img->SetSpacing(vol.spacing_mm[2], vol.spacing_mm[1], vol.spacing_mm[0]);
  img->SetOrigin(0, 0, 0);
  auto arr = vtkSmartPointer<vtkFloatArray>::New();
  arr->SetNumberOfComponents(1);
  arr->SetNumberOfTuples(vtkIdType(vol.size()));
  std::copy(vol.data.begin(), vol.data.end(), arr->GetPointer(0));
  arr->SetName("values");
  img->GetPointData()->SetScalars(arr);
  return img;
}

namespace {
vtkSmartPointer<vtkActor> surface(vtkImageData* img, double level, const QColor& c,
                                  double opacity) {
  auto fe = vtkSmartPointer<vtkFlyingEdges3D>::New();
  fe->SetInputData(img);
  fe->SetValue(0, level);
  fe->ComputeNormalsOn();
  auto mapper = vtkSmartPointer<vtkPolyDataMapper>::New();
  mapper->SetInputConnection(fe->GetOutputPort());
  mapper->ScalarVisibilityOff();
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(c.redF(), c.greenF(), c.blueF());
  actor->GetProperty()->SetOpacity(opacity);
  return actor;
}
}  // namespace

void build_scene(vtkRenderer* ren, const Volume& ct, const Volume* dose, const Scene3DOptions& o) {
  ren->RemoveAllViewProps();
  if (ct.data.empty()) return;
  auto ct_img = to_image_data(ct);

  if (o.ct_volume_rendering) {
    auto mapper = vtkSmartPointer<vtkSmartVolumeMapper>::New();
    mapper->SetInputData(ct_img);
    auto color = vtkSmartPointer<vtkColorTransferFunction>::New();
    color->AddRGBPoint(-1000, 0.0, 0.0, 0.0);
    color->AddRGBPoint(-500, 0.55, 0.25, 0.15);
    color->AddRGBPoint(0, 0.9, 0.6, 0.5);
    color->AddRGBPoint(300, 1.0, 0.95, 0.85);
    color->AddRGBPoint(1500, 1.0, 1.0, 1.0);
    auto alpha = vtkSmartPointer<vtkPiecewiseFunction>::New();
    // Soft tissue almost clear (the beam crosses 300 mm of it), lung/air invisible, bone opaque.
    alpha->AddPoint(-1000, 0.0);
    alpha->AddPoint(-600, 0.0);
    alpha->AddPoint(-100, 0.0);
    alpha->AddPoint(0, 0.003);
    alpha->AddPoint(200, 0.01);
    alpha->AddPoint(300, 0.15);
    alpha->AddPoint(1500, 0.5);
    auto prop = vtkSmartPointer<vtkVolumeProperty>::New();
    prop->SetColor(color);
    prop->SetScalarOpacity(alpha);
    prop->SetInterpolationTypeToLinear();
    auto vol = vtkSmartPointer<vtkVolume>::New();
    vol->SetMapper(mapper);
    vol->SetProperty(prop);
    ren->AddVolume(vol);
  } else {
    for (size_t i = 0; i < o.ct_surfaces_hu.size(); ++i) {
      const double hu = o.ct_surfaces_hu[i];
      const bool dense = hu > 100;
      ren->AddActor(surface(ct_img, hu, dense ? QColor(240, 235, 215) : QColor(200, 150, 130),
                            dense ? 0.9 : 0.15));
    }
  }

  if (dose && dose->same_grid(ct) && !o.iso_levels.empty()) {
    auto d_img = to_image_data(*dose);
    for (size_t i = 0; i < o.iso_levels.size(); ++i) {
      const double pct = i < o.iso_percent.size() ? o.iso_percent[i] : 50.0;
      ren->AddActor(surface(d_img, o.iso_levels[i], isodose_color(pct), pct >= 90 ? 0.9 : 0.35));
    }
  }

  double b[6];
  ct_img->GetBounds(b);
  if (o.beam_axis) {
    const double cx = (b[0] + b[1]) / 2, cy = (b[2] + b[3]) / 2, len = b[5] - b[4];
    auto line = vtkSmartPointer<vtkLineSource>::New();
    line->SetPoint1(cx, cy, b[4] - 0.15 * len);
    line->SetPoint2(cx, cy, b[5] + 0.05 * len);
    auto tube = vtkSmartPointer<vtkTubeFilter>::New();
    tube->SetInputConnection(line->GetOutputPort());
    tube->SetRadius(std::max(0.4, 0.01 * (b[1] - b[0])));
    tube->SetNumberOfSides(12);
    auto m = vtkSmartPointer<vtkPolyDataMapper>::New();
    m->SetInputConnection(tube->GetOutputPort());
    auto a = vtkSmartPointer<vtkActor>::New();
    a->SetMapper(m);
    a->GetProperty()->SetColor(1.0, 0.85, 0.1);
    ren->AddActor(a);
  }
  auto outline = vtkSmartPointer<vtkOutlineFilter>::New();
  outline->SetInputData(ct_img);
  auto om = vtkSmartPointer<vtkPolyDataMapper>::New();
  om->SetInputConnection(outline->GetOutputPort());
  auto oa = vtkSmartPointer<vtkActor>::New();
  oa->SetMapper(om);
  oa->GetProperty()->SetColor(0.6, 0.6, 0.6);
  ren->AddActor(oa);

  ren->ResetCamera();
  auto* cam = ren->GetActiveCamera();
  cam->SetFocalPoint((b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2);
  cam->SetPosition(b[1] + 1.2 * (b[5] - b[4]), b[2] - 0.6 * (b[5] - b[4]),
                   (b[4] + b[5]) / 2 - 0.3 * (b[5] - b[4]));
  cam->SetViewUp(0, -1, 0);
  ren->ResetCamera();
  cam->Zoom(1.6);
  ren->ResetCameraClippingRange();
}

}  // namespace dotakv::viz
