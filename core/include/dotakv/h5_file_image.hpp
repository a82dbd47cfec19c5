// Test seam of the HDF5 loaders, used only by the fuzz targets and tests (tests/fuzz/,
// docs/fuzzing.md): while a ScopedFileImage is alive, every core loader that opens exactly
// `path` (load_case, read_dota_sample, dataset_info, read_dataset_sample, Model::load,
// load_checkpoint, load_training_state, DigitsModel::load, digits::load_strings) reads `bytes`
// through HDF5's in-memory file driver (core VFD with a file image) instead of the file system.
// The same checks and messages apply as for a file on disk ("<path>: not an HDF5 file", ...).
//   dotakv::h5::ScopedFileImage image(bytes, "/nonexistent/fuzz.h5");
//   dotakv::load_case("/nonexistent/fuzz.h5");
// `path` must not exist on disk (HDF5 refuses an image under the name of an existing file).
// One image per path at a time; registering a path again replaces its image. Thread-safe.
#pragma once
#include <string>

namespace dotakv::h5 {

class ScopedFileImage {
 public:
  ScopedFileImage(std::string bytes, std::string path);
  ~ScopedFileImage();
  ScopedFileImage(const ScopedFileImage&) = delete;
  ScopedFileImage& operator=(const ScopedFileImage&) = delete;

 private:
  std::string path_;
};

}  // namespace dotakv::h5
