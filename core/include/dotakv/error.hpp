// Typed exceptions thrown by core. Every message names the object at fault (file, dataset,
// tensor, field) and states what was expected and what was found, e.g.
//   ShapeError: weights.h5: tensor 'encoder/conv1/kernel': expected [5,5,1,64], found [5,5,1,32]
// The CLI prints what() as one line and exits non-zero; the GUI shows it in a dialog.
#pragma once
#include <stdexcept>
#include <string>
#include <vector>

namespace dotakv {

class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};
// File missing, unreadable, not HDF5, truncated; a write that could not complete.
class IoError : public Error {
 public:
  using Error::Error;
};
// A file is readable but its content is not what the format requires (missing dataset/attribute).
class FormatError : public Error {
 public:
  using Error::Error;
};
// A tensor or volume has the wrong shape.
class ShapeError : public Error {
 public:
  using Error::Error;
};
// A value is out of range or not finite (energy, NaN/Inf voxels, primaries <= 0, ...).
class ValueError : public Error {
 public:
  using Error::Error;
};
// A configuration (JSON) has unknown keys, wrong types or inconsistent values.
class ConfigError : public Error {
 public:
  using Error::Error;
};
// An input claims more memory than the cap allows (limits.hpp), refused before allocating.
class ResourceError : public Error {
 public:
  using Error::Error;
};
// Work stopped because the caller asked it to (see progress.hpp).
class Cancelled : public Error {
 public:
  Cancelled() : Error("cancelled") {}
};

// "[a,b,c]" — for messages about shapes.
std::string shape_string(const std::vector<long long>& shape);

}  // namespace dotakv
