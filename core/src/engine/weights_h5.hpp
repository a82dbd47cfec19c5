// Private helpers of the weights files of every model family (docs/format_weights.md): the
// HDF5 signature check, string attributes, paths with intermediate groups, and one float tensor
// read/written with the errors the format documents (missing dataset with its expected shape,
// ShapeError "expected [..], found [..]", non-float dataset, NaN/Inf).
#pragma once
#include <H5Cpp.h>

#include <functional>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "dotakv/model.hpp"

namespace dotakv::weights_h5 {

bool is_hdf5(const std::string& path);  // the 8-byte HDF5 signature
std::string read_string_attr(const H5::H5Object& o, const std::string& name);
void write_string_attr(H5::H5Object& o, const std::string& name, const std::string& v);
// H5Lexists fails on a path whose parent group is missing, so this walks it component by component.
bool path_exists(const H5::H5File& f, const std::string& name);
// `file` names the file in messages.
Tensor read_tensor(const H5::H5File& f, const std::string& file, const std::string& name,
                   const std::vector<long long>& expected);
void write_tensor(H5::H5File& f, const std::string& name, const Tensor& t);

// The weights file of a model family other than DoTA (digits, lm; docs/format_weights.md): root
// string attributes `format`, `family`, `config` (JSON text) and `description`, then one float32
// dataset per TensorSpec of the config's layout.
//   load: IoError (missing, not HDF5, corrupt); FormatError "attribute 'family': expected
//   '<family>', found '<x>'" with a hint naming the command for a known other family (none:
//   the DoTA files written before the attribute existed); FormatError for another `format`;
//   ConfigError for config text that is not JSON. `layout(config)` parses and validates the
//   config (its ConfigError is re-thrown prefixed "<path>: attribute 'config': ") and returns
//   the specs; their total size is checked against the memory cap before any tensor is read.
//   The description defaults to the path.
struct FamilyWeights {
  std::vector<Tensor> tensors;
  std::string description;
};
FamilyWeights load_family_weights(
    const std::string& path, const std::string& family, const std::string& format,
    const std::function<std::vector<TensorSpec>(const nlohmann::json&)>& layout);
// Written in memory, then to `path` atomically (temporary file + rename).
void save_family_weights(const std::string& path, const std::string& family,
                         const std::string& format, const nlohmann::json& config,
                         const std::string& description, const std::vector<TensorSpec>& specs,
                         const std::vector<Tensor>& tensors);

}  // namespace dotakv::weights_h5
