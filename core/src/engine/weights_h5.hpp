// Private helpers of the weights files of every model family (docs/format_weights.md): the
// HDF5 signature check, string attributes, paths with intermediate groups, and one float tensor
// read/written with the errors the format documents (missing dataset with its expected shape,
// ShapeError "expected [..], found [..]", non-float dataset, NaN/Inf).
#pragma once
#include <H5Cpp.h>

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

}  // namespace dotakv::weights_h5
