// VTK scene building for the studio's 3-D view (no Qt widgets; no VTK Qt modules).
// Volume -> vtkImageData with x = cols, y = rows, z = slices (depth along the beam), spacing in mm,
// origin 0. The beam enters at z = 0 along +z through the lateral centre.
#pragma once
#include <vtkSmartPointer.h>

#include <vector>

#include "dotakv/volume.hpp"

class vtkImageData;
class vtkRenderer;

namespace dotakv::viz {

vtkSmartPointer<vtkImageData> to_image_data(const Volume& vol);

struct Scene3DOptions {
  bool ct_volume_rendering = false;  // true: ray-cast CT volume; false: CT iso-surfaces
  std::vector<double> ct_surfaces_hu{-500.0, 300.0};  // body outline, bone
  std::vector<double> iso_levels;   // dose iso-surface levels (in dose units); empty = none
  std::vector<double> iso_percent;  // the same levels in percent (for colours)
  bool beam_axis = true;
};

// Clears `renderer` and adds the CT (surfaces or volume), dose iso-surfaces (vtkFlyingEdges3D),
// the beam axis and an outline. `dose` may be null. Resets the camera to a 3/4 view.
void build_scene(vtkRenderer* renderer, const Volume& ct, const Volume* dose,
                 const Scene3DOptions& options);

}  // namespace dotakv::viz
