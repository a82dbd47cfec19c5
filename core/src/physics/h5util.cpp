#include "h5util.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>

#include "dotakv/error.hpp"
#include "dotakv/h5_file_image.hpp"

// ---- file images registered by dotakv::h5::ScopedFileImage (fuzz targets and tests) ----
namespace dotakv::h5 {
namespace {
std::mutex& images_mutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, std::shared_ptr<const std::string>>& images() {
  static std::map<std::string, std::shared_ptr<const std::string>> m;
  return m;
}
}  // namespace

ScopedFileImage::ScopedFileImage(std::string bytes, std::string path) : path_(std::move(path)) {
  std::lock_guard lock(images_mutex());
  images()[path_] = std::make_shared<const std::string>(std::move(bytes));
}
ScopedFileImage::~ScopedFileImage() {
  std::lock_guard lock(images_mutex());
  images().erase(path_);
}
}  // namespace dotakv::h5

namespace dotakv::physics::h5 {

namespace {
std::shared_ptr<const std::string> registered_image(const std::string& path) {
  std::lock_guard lock(dotakv::h5::images_mutex());
  auto it = dotakv::h5::images().find(path);
  return it == dotakv::h5::images().end() ? nullptr : it->second;
}

// The HDF5 signature at offset 0, 512, 1024, 2048, ... (after a user block), as H5Fis_hdf5.
bool has_hdf5_signature(const std::string& b) {
  static const std::string sig("\x89HDF\r\n\x1a\n", 8);
  for (std::size_t off = 0; off + sig.size() <= b.size(); off = off ? off * 2 : 512)
    if (b.compare(off, sig.size(), sig) == 0) return true;
  return false;
}

H5::H5File open_image(const std::string& path, const std::string& image) {
  if (!has_hdf5_signature(image)) throw IoError(path + ": not an HDF5 file");
  try {
    H5::FileAccPropList fapl;
    if (H5Pset_fapl_core(fapl.getId(), 1 << 16, false) < 0 ||
        H5Pset_file_image(fapl.getId(), const_cast<char*>(image.data()), image.size()) < 0)
      throw IoError(path + ": cannot set up the in-memory HDF5 driver");
    return H5::H5File(path, H5F_ACC_RDONLY, H5::FileCreatPropList::DEFAULT, fapl);
  } catch (const H5::Exception& e) {
    throw IoError(path + ": cannot open as HDF5 (truncated or corrupt file?): " + e.getDetailMsg());
  }
}
}  // namespace

H5::H5File open_read(const std::string& path) {
  H5::Exception::dontPrint();
  if (const auto image = registered_image(path)) return open_image(path, *image);
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) throw IoError(path + ": no such file");
  try {
    if (!H5::H5File::isHdf5(path)) throw IoError(path + ": not an HDF5 file");
    return H5::H5File(path, H5F_ACC_RDONLY);
  } catch (const H5::Exception& e) {
    throw IoError(path + ": cannot open as HDF5 (truncated or corrupt file?): " + e.getDetailMsg());
  }
}

bool has_link(const H5::Group& g, const std::string& name) {
  return H5Lexists(g.getId(), name.c_str(), H5P_DEFAULT) > 0;
}

bool has_attr(const H5::H5Object& o, const std::string& name) {
  return o.attrExists(name);
}

std::vector<hsize_t> dims(const H5::DataSet& ds) {
  H5::DataSpace sp = ds.getSpace();
  std::vector<hsize_t> d(sp.getSimpleExtentNdims());
  if (!d.empty()) sp.getSimpleExtentDims(d.data());
  return d;
}

void require_plain_layout(const H5::DataSet& ds, const std::string& where) {
  const std::size_t element = ds.getDataType().getSize();
  if (element != 1 && element != 2 && element != 4 && element != 8)
    throw FormatError(where + ": expected 1-, 2-, 4- or 8-byte elements, found " +
                      std::to_string(element) + "-byte elements");
  const H5::DSetCreatPropList create = ds.getCreatePlist();
  if (create.getLayout() != H5D_CHUNKED) return;
  const std::vector<hsize_t> d = dims(ds);
  std::vector<hsize_t> chunk(d.size());
  if (!d.empty()) create.getChunk(int(d.size()), chunk.data());
  for (std::size_t i = 0; i < d.size(); ++i)
    if (chunk[i] > std::max<hsize_t>(d[i], 1))
      throw FormatError(where + ": chunk " +
                        shape_string(std::vector<long long>(chunk.begin(), chunk.end())) +
                        " is larger than the dataset " +
                        shape_string(std::vector<long long>(d.begin(), d.end())));
}

std::vector<double> read_attr_doubles(const H5::H5Object& o, const std::string& name,
                                      const std::string& where) {
  if (!o.attrExists(name)) throw FormatError(where + ": missing attribute '" + name + "'");
  H5::Attribute a = o.openAttribute(name);
  if (a.getTypeClass() != H5T_FLOAT && a.getTypeClass() != H5T_INTEGER)
    throw FormatError(where + ": attribute '" + name + "' must be numeric");
  const hssize_t n = a.getSpace().getSimpleExtentNpoints();
  std::vector<double> v(size_t(std::max<hssize_t>(n, 0)));
  if (!v.empty()) a.read(H5::PredType::NATIVE_DOUBLE, v.data());
  return v;
}

double read_attr_double(const H5::H5Object& o, const std::string& name, const std::string& where) {
  const auto v = read_attr_doubles(o, name, where);
  if (v.size() != 1)
    throw FormatError(where + ": attribute '" + name + "' must be a scalar, found " +
                      std::to_string(v.size()) + " values");
  return v[0];
}

long long stored_count(double v, double max, const std::string& what) {
  if (!std::isfinite(v) || v < 0 || v > max)
    throw FormatError(what + ": expected a count in 0.." + std::to_string((long long)max) +
                      ", found " + std::to_string(v));
  return static_cast<long long>(v);
}

void write_attr(H5::H5Object& o, const std::string& name, double v) {
  if (o.attrExists(name)) o.removeAttr(name);
  H5::Attribute a = o.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_DOUBLE, &v);
}
void write_attr(H5::H5Object& o, const std::string& name, long long v) {
  if (o.attrExists(name)) o.removeAttr(name);
  H5::Attribute a = o.createAttribute(name, H5::PredType::NATIVE_LLONG, H5::DataSpace(H5S_SCALAR));
  a.write(H5::PredType::NATIVE_LLONG, &v);
}
void write_attr(H5::H5Object& o, const std::string& name, const std::string& v) {
  if (o.attrExists(name)) o.removeAttr(name);
  H5::StrType t(H5::PredType::C_S1, H5T_VARIABLE);
  H5::Attribute a = o.createAttribute(name, t, H5::DataSpace(H5S_SCALAR));
  a.write(t, v);
}
void write_attr(H5::H5Object& o, const std::string& name, const std::vector<double>& v) {
  if (o.attrExists(name)) o.removeAttr(name);
  const hsize_t n = v.size();
  H5::Attribute a = o.createAttribute(name, H5::PredType::NATIVE_DOUBLE, H5::DataSpace(1, &n));
  a.write(H5::PredType::NATIVE_DOUBLE, v.data());
}

std::string read_attr_string(const H5::H5Object& o, const std::string& name) {
  H5::Attribute a = o.openAttribute(name);
  std::string s;
  a.read(a.getStrType(), s);
  return s;
}

void write_json_attrs(H5::H5Object& o, const nlohmann::json& j) {
  if (!j.is_object()) return;
  for (const auto& [k, v] : j.items()) {
    if (v.is_number_integer() || v.is_boolean())
      write_attr(o, k, v.is_boolean() ? (long long)(v.get<bool>()) : v.get<long long>());
    else if (v.is_number())
      write_attr(o, k, v.get<double>());
    else if (v.is_string())
      write_attr(o, k, v.get<std::string>());
    else
      write_attr(o, k, v.dump());
  }
  // exact round trip (types, nesting) through one JSON attribute
  write_attr(o, "attributes_json", j.dump());
}

nlohmann::json read_json_attrs(const H5::H5Object& o) {
  if (o.attrExists("attributes_json")) {
    try {
      return nlohmann::json::parse(read_attr_string(o, "attributes_json"));
    } catch (const nlohmann::json::exception&) {
    }
  }
  nlohmann::json j = nlohmann::json::object();
  const int n = o.getNumAttrs();
  for (int i = 0; i < n; ++i) {
    H5::Attribute a = o.openAttribute(unsigned(i));
    const std::string name = a.getName();
    if (a.getTypeClass() == H5T_STRING) {
      j[name] = read_attr_string(o, name);
    } else if (a.getTypeClass() == H5T_INTEGER || a.getTypeClass() == H5T_FLOAT) {
      const hssize_t cnt = a.getSpace().getSimpleExtentNpoints();
      std::vector<double> v(size_t(std::max<hssize_t>(cnt, 0)));
      if (!v.empty()) a.read(H5::PredType::NATIVE_DOUBLE, v.data());
      if (v.size() == 1)
        j[name] = v[0];
      else
        j[name] = v;
    }
  }
  return j;
}

H5::DataSet create_float_dataset(H5::Group& g, const std::string& name,
                                 const std::vector<hsize_t>& shape,
                                 const std::vector<hsize_t>& chunk) {
  H5::DataSpace sp(int(shape.size()), shape.data());
  H5::DSetCreatPropList pl;
  H5Pset_obj_track_times(pl.getId(), false);  // no timestamps: identical runs, identical bytes
  bool chunk_ok = !chunk.empty();
  for (size_t i = 0; i < chunk.size() && chunk_ok; ++i)
    chunk_ok = chunk[i] > 0 && chunk[i] <= shape[i];
  if (chunk_ok) {
    pl.setChunk(int(chunk.size()), chunk.data());
    if (H5Zfilter_avail(H5Z_FILTER_DEFLATE) > 0) pl.setDeflate(4);
  }
  return g.createDataSet(name, H5::PredType::NATIVE_FLOAT, sp, pl);
}

H5::DataSet create_dataset_1d(H5::Group& g, const std::string& name, const H5::PredType& type,
                              hsize_t n) {
  H5::DSetCreatPropList pl;
  H5Pset_obj_track_times(pl.getId(), false);
  return g.createDataSet(name, type, H5::DataSpace(1, &n), pl);
}

}  // namespace dotakv::physics::h5
