// Structured HDF5 fuzzing (docs/fuzzing.md): the fuzz input is read as a list of edits applied to
// a valid file image written by the project's own writers, entirely in memory (HDF5 core driver
// with a file image, no backing store). Edits: drop a dataset or group, replace a dataset with
// another shape and/or type (attributes kept), change one extent, inject NaN/Inf/extreme values,
// drop/replace/add attributes, and change one field of a JSON string attribute (config,
// options, attributes_json). The edited image comes back as bytes for the raw loaders.
// Header-only: shared by the fuzz targets (clang, libFuzzer) and the release unit test.
#pragma once
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace dotakv::fuzz {

// Consumes the fuzz input byte by byte; past the end it yields zeros (so every input is valid).
class Reader {
 public:
  explicit Reader(std::string_view bytes) : b_(bytes) {}
  bool empty() const { return pos_ >= b_.size(); }
  std::uint8_t u8() { return pos_ < b_.size() ? std::uint8_t(b_[pos_++]) : 0; }
  std::uint32_t u32() {
    std::uint32_t v = 0;
    for (int i = 0; i < 4; ++i) v = (v << 8) | u8();
    return v;
  }
  // Uniform-ish index in [0, n); 0 when n == 0.
  std::size_t pick(std::size_t n) {
    if (n == 0) return 0;
    return n <= 256 ? u8() % n : u32() % n;
  }
  std::string str(std::size_t max_len) {
    const std::size_t n = pick(max_len + 1);
    std::string s;
    for (std::size_t i = 0; i < n && !empty(); ++i) s += char(u8());
    return s;
  }
  std::string_view rest() const { return pos_ < b_.size() ? b_.substr(pos_) : std::string_view{}; }

 private:
  std::string_view b_;
  std::size_t pos_ = 0;
};

inline double special_double(Reader& r) {
  static const double t[] = {std::numeric_limits<double>::quiet_NaN(),
                             std::numeric_limits<double>::infinity(),
                             -std::numeric_limits<double>::infinity(),
                             0.0,
                             -0.0,
                             -1.0,
                             1.0,
                             0.5,
                             1e300,
                             -1e300,
                             4.9e-324,
                             2147483648.0,
                             -2147483649.0,
                             9.3e18,
                             1e9,
                             70.0,
                             220.0,
                             3071.0,
                             -1024.0,
                             255.0,
                             1e-3};
  const std::size_t n = sizeof(t) / sizeof(t[0]);
  const std::size_t i = r.pick(n + 1);
  if (i < n) return t[i];
  std::uint64_t bits = (std::uint64_t(r.u32()) << 32) | r.u32();
  double d;
  std::memcpy(&d, &bits, sizeof d);
  return d;
}

inline long long special_int(Reader& r) {
  static const long long t[] = {0,
                                -1,
                                1,
                                2,
                                3,
                                9,
                                10,
                                12,
                                13,
                                32,
                                127,
                                255,
                                256,
                                65536,
                                1000000,
                                2147483647LL,
                                -2147483647LL - 1,
                                2147483648LL,
                                std::numeric_limits<long long>::max(),
                                std::numeric_limits<long long>::min()};
  const std::size_t n = sizeof(t) / sizeof(t[0]);
  const std::size_t i = r.pick(n + 1);
  return i < n ? t[i] : (long long)(std::int32_t(r.u32()));
}

inline nlohmann::json special_json(Reader& r) {
  switch (r.pick(12)) {
    case 0:
      return special_int(r);
    case 1: {
      const double d = special_double(r);
      return std::isfinite(d) ? nlohmann::json(d) : nlohmann::json(nullptr);
    }
    case 2:
      return r.str(12);
    case 3:
      return bool(r.u8() & 1);
    case 4:
      return nullptr;
    case 5:
      return nlohmann::json::array();
    case 6:
      return nlohmann::json::object();
    case 7:
      return nlohmann::json::array({special_int(r), special_int(r), special_int(r)});
    case 8:
      return nlohmann::json::array({special_int(r)});
    case 9:
      return nlohmann::json::array({1, 2, 3, 4});
    case 10:
      return nlohmann::json::parse("[\"fp32\", 1, {\"a\": 2}]");
    default:  // the negation, wrapping (LLONG_MIN stays itself) rather than overflowing
      return static_cast<long long>(0ull - static_cast<unsigned long long>(special_int(r)));
  }
}

namespace detail {

inline herr_t collect_link(hid_t, const char* name, const H5L_info_t* info, void* data) {
  if (info->type == H5L_TYPE_HARD)
    static_cast<std::vector<std::string>*>(data)->push_back(std::string("/") + name);
  return 0;
}
inline herr_t collect_attr(hid_t, const char* name, const H5A_info_t*, void* data) {
  static_cast<std::vector<std::string>*>(data)->push_back(name);
  return 0;
}

// RAII for an hid_t with its close function.
struct Id {
  hid_t id = -1;
  herr_t (*close)(hid_t) = nullptr;
  Id(hid_t i, herr_t (*c)(hid_t)) : id(i), close(c) {}
  ~Id() {
    if (id >= 0 && close) close(id);
  }
  Id(const Id&) = delete;
  Id& operator=(const Id&) = delete;
  explicit operator bool() const { return id >= 0; }
  void reset() {
    if (id >= 0 && close) close(id);
    id = -1;
  }
};

inline std::vector<std::string> attr_names(hid_t obj) {
  std::vector<std::string> names;
  H5Aiterate2(obj, H5_INDEX_NAME, H5_ITER_NATIVE, nullptr, collect_attr, &names);
  return names;
}

inline hid_t numeric_type(std::size_t k) {
  switch (k % 7) {
    case 0:
      return H5T_NATIVE_FLOAT;
    case 1:
      return H5T_NATIVE_DOUBLE;
    case 2:
      return H5T_NATIVE_INT32;
    case 3:
      return H5T_NATIVE_UINT8;
    case 4:
      return H5T_NATIVE_INT64;
    case 5:
      return H5T_NATIVE_INT16;
    default:
      return H5T_NATIVE_UINT32;
  }
}

// Copies every attribute of `from` onto `to` (same type and space).
inline void copy_attrs(hid_t from, hid_t to) {
  for (const auto& name : attr_names(from)) {
    Id a(H5Aopen(from, name.c_str(), H5P_DEFAULT), H5Aclose);
    if (!a) continue;
    Id t(H5Aget_type(a.id), H5Tclose);
    Id s(H5Aget_space(a.id), H5Sclose);
    const hssize_t n = H5Sget_simple_extent_npoints(s.id);
    if (n < 0 || n > (1 << 16)) continue;
    Id b(H5Acreate2(to, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
    if (!b) continue;
    if (H5Tget_class(t.id) == H5T_STRING && H5Tis_variable_str(t.id) > 0) {
      std::vector<char*> v(std::size_t(std::max<hssize_t>(n, 1)), nullptr);
      if (H5Aread(a.id, t.id, v.data()) >= 0) {
        H5Awrite(b.id, t.id, v.data());
        H5Dvlen_reclaim(t.id, s.id, H5P_DEFAULT, v.data());
      }
    } else {
      std::vector<unsigned char> v(std::size_t(std::max<hssize_t>(n, 1)) * H5Tget_size(t.id));
      if (H5Aread(a.id, t.id, v.data()) >= 0) H5Awrite(b.id, t.id, v.data());
    }
  }
}

inline std::vector<hsize_t> dataset_dims(hid_t ds) {
  Id s(H5Dget_space(ds), H5Sclose);
  const int rank = H5Sget_simple_extent_ndims(s.id);
  std::vector<hsize_t> d(std::size_t(std::max(rank, 0)));
  if (rank > 0) H5Sget_simple_extent_dims(s.id, d.data(), nullptr);
  return d;
}

inline std::uint64_t elements(const std::vector<hsize_t>& d) {
  std::uint64_t n = 1;
  for (auto e : d) n = (e != 0 && n > std::numeric_limits<std::uint64_t>::max() / e) ? 0 : n * e;
  return n;
}

// Replaces dataset `path` by one of `type` and `dims` (attributes copied), filled with a value
// and a few special values when write_data (else the fill value is all HDF5 has: no storage).
inline void replace_dataset(hid_t f, const std::string& path, hid_t type,
                            const std::vector<hsize_t>& dims, bool write_data, Reader& r) {
  Id old(H5Dopen2(f, path.c_str(), H5P_DEFAULT), H5Dclose);
  if (!old) return;
  const std::string tmp = path + "~fuzz";
  Id space(dims.empty() ? H5Screate(H5S_SCALAR)
                        : H5Screate_simple(int(dims.size()), dims.data(), nullptr),
           H5Sclose);
  if (!space) return;
  Id ds(H5Dcreate2(f, tmp.c_str(), type, space.id, H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT),
        H5Dclose);
  if (!ds) return;
  copy_attrs(old.id, ds.id);
  const std::uint64_t n = elements(dims);
  if (write_data && n > 0 && n <= (1u << 16)) {
    std::vector<double> v(n, special_double(r));
    for (int k = int(r.pick(4)); k > 0; --k) v[r.pick(n)] = special_double(r);
    const bool integer = H5Tget_class(type) == H5T_INTEGER;
    if (integer)
      for (auto& x : v) x = std::isfinite(x) ? std::clamp(x, -1e9, 1e9) : 0.0;
    H5Dwrite(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
  }
  H5Ldelete(f, path.c_str(), H5P_DEFAULT);
  H5Lmove(f, tmp.c_str(), f, path.c_str(), H5P_DEFAULT, H5P_DEFAULT);
}

inline hsize_t pick_extent(Reader& r, hsize_t orig) {
  switch (r.pick(10)) {
    case 0:
      return 0;
    case 1:
      return 1;
    case 2:
      return orig > 0 ? orig - 1 : 0;
    case 3:
      return orig + 1;
    case 4:
      return orig * 2;
    case 5:
      return 24;
    case 6:
      return 25;
    case 7:
      return 150;
    case 8:
      return hsize_t(r.u8());
    default:
      return orig;
  }
}

inline void write_attr_value(hid_t obj, const std::string& name, Reader& r) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  switch (r.pick(5)) {
    case 0: {  // scalar double
      Id s(H5Screate(H5S_SCALAR), H5Sclose);
      Id a(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, s.id, H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
      const double v = special_double(r);
      if (a) H5Awrite(a.id, H5T_NATIVE_DOUBLE, &v);
      break;
    }
    case 1: {  // scalar integer
      Id s(H5Screate(H5S_SCALAR), H5Sclose);
      Id a(H5Acreate2(obj, name.c_str(), H5T_NATIVE_LLONG, s.id, H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
      const long long v = special_int(r);
      if (a) H5Awrite(a.id, H5T_NATIVE_LLONG, &v);
      break;
    }
    case 2: {  // array of doubles (0..5)
      const hsize_t n = r.pick(6);
      Id s(H5Screate_simple(1, &n, nullptr), H5Sclose);
      Id a(H5Acreate2(obj, name.c_str(), H5T_NATIVE_DOUBLE, s.id, H5P_DEFAULT, H5P_DEFAULT),
           H5Aclose);
      std::vector<double> v(std::max<hsize_t>(n, 1));
      for (auto& x : v) x = special_double(r);
      if (a && n > 0) H5Awrite(a.id, H5T_NATIVE_DOUBLE, v.data());
      break;
    }
    case 3: {  // fixed-length string
      const std::string v = r.str(24);
      Id t(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(t.id, std::max<std::size_t>(v.size(), 1));
      Id s(H5Screate(H5S_SCALAR), H5Sclose);
      Id a(H5Acreate2(obj, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
      std::string buf = v.empty() ? std::string(1, '\0') : v;
      if (a) H5Awrite(a.id, t.id, buf.data());
      break;
    }
    default: {  // variable-length string
      const std::string v = r.str(24);
      Id t(H5Tcopy(H5T_C_S1), H5Tclose);
      H5Tset_size(t.id, H5T_VARIABLE);
      Id s(H5Screate(H5S_SCALAR), H5Sclose);
      Id a(H5Acreate2(obj, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
      const char* p = v.c_str();
      if (a) H5Awrite(a.id, t.id, &p);
      break;
    }
  }
}

inline bool read_string_attr(hid_t obj, const std::string& name, std::string& out) {
  Id a(H5Aopen(obj, name.c_str(), H5P_DEFAULT), H5Aclose);
  if (!a) return false;
  Id t(H5Aget_type(a.id), H5Tclose);
  if (H5Tget_class(t.id) != H5T_STRING) return false;
  Id s(H5Aget_space(a.id), H5Sclose);
  if (H5Sget_simple_extent_npoints(s.id) != 1) return false;
  if (H5Tis_variable_str(t.id) > 0) {
    char* p = nullptr;
    if (H5Aread(a.id, t.id, &p) < 0 || !p) return false;
    out = p;
    H5free_memory(p);
    return true;
  }
  std::string buf(H5Tget_size(t.id), '\0');
  if (H5Aread(a.id, t.id, buf.data()) < 0) return false;
  out = buf.substr(0, buf.find('\0'));
  return true;
}

inline void write_vlen_string_attr(hid_t obj, const std::string& name, const std::string& v) {
  if (H5Aexists(obj, name.c_str()) > 0) H5Adelete(obj, name.c_str());
  Id t(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(t.id, H5T_VARIABLE);
  Id s(H5Screate(H5S_SCALAR), H5Sclose);
  Id a(H5Acreate2(obj, name.c_str(), t.id, s.id, H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  const char* p = v.c_str();
  if (a) H5Awrite(a.id, t.id, &p);
}

}  // namespace detail

// Applies the edits the input describes to `base` (an HDF5 file image) and returns the new image.
// An edit HDF5 refuses is skipped; the result is always an image HDF5 itself wrote.
inline std::string edit_h5_image(const std::string& base, Reader& r) {
  using detail::Id;
  H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
  Id fapl(H5Pcreate(H5P_FILE_ACCESS), H5Pclose);
  H5Pset_fapl_core(fapl.id, 1 << 16, false);
  H5Pset_file_image(fapl.id, const_cast<char*>(base.data()), base.size());
  Id f(H5Fopen("/nonexistent/dotakv-fuzz-edit.h5", H5F_ACC_RDWR, fapl.id), H5Fclose);
  if (!f) return base;

  std::vector<std::string> objects{"/"};
  H5Lvisit(f.id, H5_INDEX_NAME, H5_ITER_NATIVE, detail::collect_link, &objects);
  // Attribute names seen anywhere in the file (for "add attribute X here").
  std::vector<std::string> names{"format", "version", "family", "config", "unknown"};
  for (const auto& o : objects) {
    Id obj(H5Oopen(f.id, o.c_str(), H5P_DEFAULT), H5Oclose);
    if (obj)
      for (auto& n : detail::attr_names(obj.id))
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(n);
  }

  const int ops = 1 + int(r.pick(4));
  for (int op = 0; op < ops && !r.empty(); ++op) {
    const std::string path = objects[r.pick(objects.size())];
    const std::size_t kind = r.pick(10);
    Id obj(H5Oopen(f.id, path.c_str(), H5P_DEFAULT), H5Oclose);
    if (!obj) continue;
    const bool is_dataset = H5Iget_type(obj.id) == H5I_DATASET;
    std::vector<std::string> attrs = detail::attr_names(obj.id);
    if (kind == 0 && path != "/") {  // drop the object
      obj.reset();
      H5Ldelete(f.id, path.c_str(), H5P_DEFAULT);
    } else if (kind == 1 && is_dataset) {  // new type and shape
      std::vector<hsize_t> dims(r.pick(5));
      for (auto& d : dims) d = detail::pick_extent(r, 4);
      const hid_t type = detail::numeric_type(r.pick(7));
      obj.reset();
      detail::replace_dataset(f.id, path, type, dims, true, r);
    } else if ((kind == 2 || kind == 3) && is_dataset) {  // one extent changed (or type only)
      Id ds(H5Dopen2(f.id, path.c_str(), H5P_DEFAULT), H5Dclose);
      std::vector<hsize_t> dims = detail::dataset_dims(ds.id);
      Id t(H5Dget_type(ds.id), H5Tclose);
      Id native(H5Tget_native_type(t.id, H5T_DIR_ASCEND), H5Tclose);
      const hid_t type = kind == 3 ? detail::numeric_type(r.pick(7)) : native.id;
      if (kind == 2 && !dims.empty()) {
        const std::size_t axis = r.pick(dims.size());
        dims[axis] = detail::pick_extent(r, dims[axis]);
      }
      // A huge extent (no data written: HDF5 returns the fill value) claims memory the loader
      // must refuse before allocating.
      const bool huge = kind == 2 && !dims.empty() && r.pick(8) == 0;
      if (huge) dims[r.pick(dims.size())] = hsize_t(1) << (20 + r.pick(20));
      ds.reset();
      obj.reset();
      detail::replace_dataset(f.id, path, type, dims, !huge, r);
    } else if (kind == 4 && is_dataset) {  // poison values in place (shape and type kept)
      Id ds(H5Dopen2(f.id, path.c_str(), H5P_DEFAULT), H5Dclose);
      Id t(H5Dget_type(ds.id), H5Tclose);
      const std::uint64_t n = detail::elements(detail::dataset_dims(ds.id));
      const H5T_class_t c = H5Tget_class(t.id);
      if ((c == H5T_FLOAT || c == H5T_INTEGER) && n > 0 && n <= (1u << 22)) {
        std::vector<double> v(n);
        if (H5Dread(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data()) >= 0) {
          for (int k = 1 + int(r.pick(3)); k > 0; --k) {
            double x = special_double(r);
            if (c == H5T_INTEGER) x = std::isfinite(x) ? std::clamp(x, -1e9, 1e9) : -1.0;
            v[r.pick(n)] = x;
          }
          if (r.u8() & 1) std::fill(v.begin(), v.end(), v[0]);
          H5Dwrite(ds.id, H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, v.data());
        }
      }
    } else if (kind == 5 && !attrs.empty()) {  // drop an attribute
      H5Adelete(obj.id, attrs[r.pick(attrs.size())].c_str());
    } else if (kind == 6 && !attrs.empty()) {  // replace an attribute (other type/value)
      detail::write_attr_value(obj.id, attrs[r.pick(attrs.size())], r);
    } else if (kind == 7) {  // add an attribute known elsewhere in the file (or a new one)
      const std::string name = r.u8() % 4 ? names[r.pick(names.size())] : r.str(8);
      if (!name.empty()) detail::write_attr_value(obj.id, name, r);
    } else if (kind >= 8) {  // one field of a JSON string attribute
      std::vector<std::string> json_attrs;
      nlohmann::json j;
      for (const auto& a : attrs) {
        std::string s;
        if (detail::read_string_attr(obj.id, a, s) && !s.empty() && (s[0] == '{' || s[0] == '['))
          json_attrs.push_back(a);
      }
      if (json_attrs.empty()) continue;
      const std::string a = json_attrs[r.pick(json_attrs.size())];
      std::string s;
      detail::read_string_attr(obj.id, a, s);
      j = nlohmann::json::parse(s, nullptr, false);
      if (j.is_discarded()) continue;
      if (j.is_object() && !j.empty()) {
        auto it = j.begin();
        std::advance(it, r.pick(j.size()));
        const std::string key = r.u8() % 8 ? it.key() : r.str(8);
        if (r.u8() % 6 == 0)
          j.erase(key);
        else
          j[key] = special_json(r);
      } else if (j.is_array() && !j.empty()) {
        j[r.pick(j.size())] = special_json(r);
      } else {
        j = special_json(r);
      }
      const std::string text = j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
      detail::write_vlen_string_attr(obj.id, a, r.u8() % 16 ? text : text.substr(0, 8));
    }
  }
  H5Fflush(f.id, H5F_SCOPE_GLOBAL);
  const ssize_t size = H5Fget_file_image(f.id, nullptr, 0);
  if (size <= 0) return base;
  std::string out(std::size_t(size), '\0');
  if (H5Fget_file_image(f.id, out.data(), out.size()) != size) return base;
  return out;
}

}  // namespace dotakv::fuzz
