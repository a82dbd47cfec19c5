#include "weights_h5.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include "../h5_memory_file.hpp"
#include "../physics/h5util.hpp"
#include "dotakv/atomic_file.hpp"
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
  physics::h5::require_plain_layout(ds, path + ": tensor '" + name + "'");
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

namespace {
std::string family_hint(const std::string& found) {
  if (found.empty() || found == "dota") return " (a DoTA dose model: use `dotakv infer`)";
  if (found == "digits") return " (a digits model: use `dotakv digits read`)";
  if (found == "lm") return " (a language model: use `dotakv lm`)";
  return "";
}
}  // namespace

FamilyWeights load_family_weights(
    const std::string& path, const std::string& family, const std::string& format,
    const std::function<std::vector<TensorSpec>(const nlohmann::json&)>& layout) {
  H5::Exception::dontPrint();
  std::string where = "file";
  try {
    H5::H5File f = physics::h5::open_read(path);  // IoError: missing, not HDF5, corrupt
    H5::Group root = f.openGroup("/");
    const std::string found = root.attrExists("family") ? read_string_attr(root, "family") : "";
    if (found != family)
      throw FormatError(path + ": attribute 'family': expected '" + family + "', found '" +
                        (found.empty() ? std::string("none (a DoTA dose model?)") : found) + "'" +
                        (found.empty() ? "" : family_hint(found)));
    if (!root.attrExists("format") || read_string_attr(root, "format") != format)
      throw FormatError(path + ": attribute 'format': expected '" + format + "'");
    if (!root.attrExists("config")) throw FormatError(path + ": missing root attribute 'config'");
    nlohmann::json config;
    try {
      config = nlohmann::json::parse(read_string_attr(root, "config"));
    } catch (const nlohmann::json::exception&) {
      throw ConfigError(path + ": attribute 'config' is not valid JSON");
    }
    std::vector<TensorSpec> specs;
    try {
      specs = layout(config);
    } catch (const ConfigError& e) {
      throw ConfigError(path + ": attribute 'config': " + e.what());
    }
    std::uint64_t parameters = 0;
    for (const auto& s : specs) {
      std::uint64_t n = 1;
      for (long long e : s.shape) n *= std::uint64_t(e);
      parameters += n;
    }
    require_memory(std::vector<std::uint64_t>{parameters}, sizeof(float),
                   path + ": attribute 'config' (all weights)");
    FamilyWeights out;
    for (const auto& s : specs) {
      where = "dataset '" + s.name + "'";
      out.tensors.push_back(read_tensor(f, path, s.name, s.shape));
    }
    out.description = root.attrExists("description") ? read_string_attr(root, "description") : path;
    return out;
  } catch (const Error&) {
    throw;
  } catch (const H5::Exception& e) {
    throw IoError(path + ": cannot read " + where + " (" + e.getDetailMsg() + ")");
  }
}

void save_family_weights(const std::string& path, const std::string& family,
                         const std::string& format, const nlohmann::json& config,
                         const std::string& description, const std::vector<TensorSpec>& specs,
                         const std::vector<Tensor>& tensors) {
  H5::Exception::dontPrint();
  write_atomically(path, [&](const std::string& tmp) {
    try {
      H5::H5File f = h5mem::create();  // in memory: a failed disk write cannot wedge HDF5
      H5::Group root = f.openGroup("/");
      write_string_attr(root, "format", format);
      write_string_attr(root, "family", family);
      write_string_attr(root, "config", config.dump());
      write_string_attr(root, "description", description);
      for (std::size_t i = 0; i < specs.size(); ++i) write_tensor(f, specs[i].name, tensors[i]);
      h5mem::write_image(f, tmp, path);
    } catch (const H5::Exception& e) {
      throw IoError(path + ": cannot write (" + e.getDetailMsg() + ")");
    }
  });
}

}  // namespace dotakv::weights_h5
