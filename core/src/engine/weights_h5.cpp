#include "weights_h5.hpp"

#include <cmath>
#include <fstream>

#include "dotakv/error.hpp"
#include "dotakv/limits.hpp"

namespace dotakv::weights_h5 {

bool is_hdf5(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  char sig[8] = {};
  f.read(sig, 8);
  return f.gcount() == 8 && std::string(sig, 8) == std::string("\x89HDF\r\n\x1a\n", 8);
}

std::string read_string_attr(const H5::H5Object& o, const std::string& name) {
  H5::Attribute a = o.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

void write_string_attr(H5::H5Object& o, const std::string& name, const std::string& v) {
  H5::StrType t(H5::PredType::C_S1, v.empty() ? 1 : v.size());
  o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR)).write(t, v);
}

bool path_exists(const H5::H5File& f, const std::string& name) {
  std::size_t pos = 0;
  while (true) {
    pos = name.find('/', pos);
    if (!f.nameExists(name.substr(0, pos))) return false;
    if (pos == std::string::npos) return true;
    ++pos;
  }
}

Tensor read_tensor(const H5::H5File& f, const std::string& path, const std::string& name,
                   const std::vector<long long>& expected) {
  if (!path_exists(f, name))
    throw FormatError(path + ": missing dataset '" + name + "' (expected shape " +
                      shape_string(expected) + ")");
  H5::DataSet ds = f.openDataSet(name);
  H5::DataSpace sp = ds.getSpace();
  const int rank = sp.getSimpleExtentNdims();
  std::vector<hsize_t> dims(std::size_t(std::max(rank, 0)));
  if (rank > 0) sp.getSimpleExtentDims(dims.data());
  const std::vector<long long> found(dims.begin(), dims.end());
  if (found != expected)
    throw ShapeError(path + ": tensor '" + name + "': expected " + shape_string(expected) +
                     ", found " + shape_string(found));
  if (ds.getTypeClass() != H5T_FLOAT)
    throw FormatError(path + ": tensor '" + name + "': expected a floating-point dataset");
  require_memory(dims, sizeof(float), path + ": tensor '" + name + "'");
  Tensor t(expected);
  ds.read(t.data.data(), H5::PredType::NATIVE_FLOAT);
  for (float v : t.data)
    if (!std::isfinite(v)) throw ValueError(path + ": tensor '" + name + "' contains NaN or Inf");
  return t;
}

void write_tensor(H5::H5File& f, const std::string& name, const Tensor& t) {
  H5::LinkCreatPropList lcpl;
  lcpl.setCreateIntermediateGroup(true);
  std::vector<hsize_t> dims(t.shape.begin(), t.shape.end());
  H5::DataSpace sp(int(dims.size()), dims.data());
  H5::DataSet ds =
      f.createDataSet(name, H5::PredType::IEEE_F32LE, sp, H5::DSetCreatPropList::DEFAULT,
                      H5::DSetAccPropList::DEFAULT, lcpl);
  ds.write(t.data.data(), H5::PredType::NATIVE_FLOAT);
}

}  // namespace dotakv::weights_h5
