// Case files (HDF5) and DoTA's training layout. See case_file.hpp and docs/format_case.md.
#include "dotakv/case_file.hpp"

#include <cmath>
#include <filesystem>

#include "../h5_memory_file.hpp"
#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/limits.hpp"
#include "h5util.hpp"

namespace dotakv {
namespace {

Volume read_volume3(const H5::Group& g, const std::string& name, const std::string& where) {
  if (!physics::h5::has_link(g, name))
    throw FormatError(where + ": missing dataset '" + name + "'");
  H5::DataSet ds = g.openDataSet(name);
  if (ds.getTypeClass() != H5T_FLOAT && ds.getTypeClass() != H5T_INTEGER)
    throw FormatError(where + ": dataset '" + name + "' must be numeric (float32)");
  physics::h5::require_plain_layout(ds, where + ": dataset '" + name + "'");
  const auto d = physics::h5::dims(ds);
  if (d.size() != 3)
    throw ShapeError(where + ": dataset '" + name +
                     "': expected rank 3 [slices,rows,cols], found " +
                     shape_string(std::vector<long long>(d.begin(), d.end())));
  if (d[0] == 0 || d[1] == 0 || d[2] == 0)
    throw ValueError(where + ": dataset '" + name + "' is empty " +
                     shape_string(std::vector<long long>(d.begin(), d.end())));
  require_volume_axes(d, where + ": dataset '" + name + "'");
  require_memory(d, sizeof(float), where + ": dataset '" + name + "'");
  Volume v(static_cast<int>(d[0]), static_cast<int>(d[1]), static_cast<int>(d[2]));
  ds.read(v.data.data(), H5::PredType::NATIVE_FLOAT);
  return v;
}

void write_volume3(H5::Group& g, const std::string& name, const Volume& v) {
  H5::DataSet ds = physics::h5::create_float_dataset(
      g, name, {hsize_t(v.slices), hsize_t(v.rows), hsize_t(v.cols)},
      {hsize_t(v.slices), hsize_t(v.rows), hsize_t(v.cols)});
  ds.write(v.data.data(), H5::PredType::NATIVE_FLOAT);
}

void check_case(const Case& c, const std::string& where) {
  if (c.ct.data.empty() || c.ct.data.size() != c.ct.size() ||
      c.ct.data.size() != size_t(c.ct.slices) * c.ct.rows * c.ct.cols)
    throw ValueError(where + ": CT is empty or its data does not match its shape");
  for (size_t i = 0; i < c.ct.data.size(); ++i)
    if (!std::isfinite(c.ct.data[i]))
      throw ValueError(where + ": CT voxel " + std::to_string(i) + " is not finite (NaN/Inf)");
  if (!(c.energy_mev > 0.0) || !std::isfinite(c.energy_mev))
    throw ValueError(where + ": energy_mev must be a finite value > 0, found " +
                     std::to_string(c.energy_mev));
  for (const auto& [name, d] : c.doses) {
    if (name.empty() || name.find('/') != std::string::npos)
      throw ValueError(where + ": dose name '" + name + "' must be non-empty without '/'");
    if (!d.volume.same_grid(c.ct) || d.volume.data.size() != c.ct.data.size())
      throw ShapeError(where + ": dose '" + name + "': expected the CT grid " +
                       shape_string({c.ct.slices, c.ct.rows, c.ct.cols}) + ", found " +
                       shape_string({d.volume.slices, d.volume.rows, d.volume.cols}));
  }
}

}  // namespace

Case load_case(const std::string& path) {
  H5::H5File f = physics::h5::open_read(path);
  try {
    Case c;
    c.ct = read_volume3(f, "ct", path);
    const auto sp =
        physics::h5::read_attr_doubles(f.openDataSet("ct"), "spacing_mm", path + ": dataset 'ct'");
    if (sp.size() != 3 || !(sp[0] > 0 && sp[1] > 0 && sp[2] > 0))
      throw FormatError(path + ": dataset 'ct': attribute 'spacing_mm' must be 3 positive values");
    c.ct.spacing_mm = {sp[0], sp[1], sp[2]};
    c.energy_mev = physics::h5::read_attr_double(f, "energy_mev", path);
    if (physics::h5::has_link(f, "doses")) {
      H5::Group g = f.openGroup("doses");
      const hsize_t n = g.getNumObjs();
      for (hsize_t i = 0; i < n; ++i) {
        const std::string name = g.getObjnameByIdx(i);
        Dose d;
        d.volume = read_volume3(g, name, path + ": doses");
        d.volume.spacing_mm = c.ct.spacing_mm;
        d.attributes = physics::h5::read_json_attrs(g.openDataSet(name));
        if (!d.volume.same_grid(c.ct))
          throw ShapeError(path + ": dataset 'doses/" + name + "': expected the CT grid " +
                           shape_string({c.ct.slices, c.ct.rows, c.ct.cols}) + ", found " +
                           shape_string({d.volume.slices, d.volume.rows, d.volume.cols}));
        for (float v : d.volume.data)
          if (!std::isfinite(v))
            throw ValueError(path + ": dataset 'doses/" + name + "' has NaN/Inf");
        c.doses.emplace(name, std::move(d));
      }
    }
    check_case(c, path);
    return c;
  } catch (const H5::Exception& e) {
    throw IoError(path + ": read failed (truncated or corrupt file?): " + e.getDetailMsg());
  }
}

void save_case(const Case& c, const std::string& path) {
  check_case(c, path);
  H5::Exception::dontPrint();
  write_atomically(path, [&](const std::string& tmp) {
    try {
      H5::H5File f = h5mem::create();  // in memory: a failed disk write cannot wedge HDF5
      write_volume3(f, "ct", c.ct);
      H5::DataSet ct = f.openDataSet("ct");
      physics::h5::write_attr(ct, "spacing_mm",
                              std::vector<double>(c.ct.spacing_mm.begin(), c.ct.spacing_mm.end()));
      physics::h5::write_attr(ct, "units", std::string("HU"));
      physics::h5::write_attr(f, "energy_mev", c.energy_mev);
      physics::h5::write_attr(f, "format", std::string("dotakv-case"));
      physics::h5::write_attr(f, "version", 1LL);
      H5::Group g = f.createGroup("doses");
      for (const auto& [name, d] : c.doses) {
        write_volume3(g, name, d.volume);
        H5::DataSet ds = g.openDataSet(name);
        physics::h5::write_json_attrs(ds, d.attributes);
      }
      h5mem::write_image(f, tmp, path);
    } catch (const H5::Exception& e) {
      throw IoError(path + ": write failed: " + e.getDetailMsg());
    }
  });
}

void add_dose_to_case_file(const std::string& path, const std::string& name, const Dose& dose) {
  Case c = load_case(path);
  c.doses[name] = dose;
  save_case(c, path);
}

int dota_sample_count(const std::string& path) {
  H5::H5File f = physics::h5::open_read(path);
  try {
    if (!physics::h5::has_link(f, "geometry"))
      throw FormatError(path + ": missing dataset 'geometry' (DoTA layout)");
    const auto d = physics::h5::dims(f.openDataSet("geometry"));
    if (d.size() != 4)
      throw ShapeError(path + ": dataset 'geometry': expected rank 4 [lat, lat, depth, N], found " +
                       shape_string(std::vector<long long>(d.begin(), d.end())));
    return int(d[3]);
  } catch (const H5::Exception& e) {
    throw IoError(path + ": read failed: " + e.getDetailMsg());
  }
}

namespace {
// Reads sample n of a DoTA 4-D dataset [A, B, D, N] (HDF5 order) as our [D, B, A] volume
// (numpy's transpose reverses all axes), optionally dropping the last row and column.
Volume read_dota_volume(H5::H5File& f, const std::string& name, int n, bool crop,
                        const std::string& path) {
  if (!physics::h5::has_link(f, name)) throw FormatError(path + ": missing dataset '" + name + "'");
  H5::DataSet ds = f.openDataSet(name);
  const auto d = physics::h5::dims(ds);
  if (d.size() != 4)
    throw ShapeError(path + ": dataset '" + name +
                     "': expected rank 4 [lat, lat, depth, N], found " +
                     shape_string(std::vector<long long>(d.begin(), d.end())));
  if (n < 0 || hsize_t(n) >= d[3])
    throw ValueError(path + ": sample " + std::to_string(n) + " out of range [0, " +
                     std::to_string(d[3]) + ")");
  require_volume_axes(std::vector<hsize_t>(d.begin(), d.begin() + 3),
                      path + ": dataset '" + name + "'");
  require_memory(std::vector<hsize_t>(d.begin(), d.begin() + 3), sizeof(float),
                 path + ": dataset '" + name + "' (one sample)");
  const hsize_t start[4] = {0, 0, 0, hsize_t(n)}, count[4] = {d[0], d[1], d[2], 1};
  H5::DataSpace fs = ds.getSpace();
  fs.selectHyperslab(H5S_SELECT_SET, count, start);
  std::vector<float> buf(d[0] * d[1] * d[2]);
  H5::DataSpace ms(4, count);
  ds.read(buf.data(), H5::PredType::NATIVE_FLOAT, ms, fs);
  const int A = int(d[0]), B = int(d[1]), D = int(d[2]);
  const int rows = crop ? B - 1 : B, cols = crop ? A - 1 : A;
  if (rows <= 0 || cols <= 0) throw ShapeError(path + ": dataset '" + name + "' too small to crop");
  Volume v(D, rows, cols);
  for (int z = 0; z < D; ++z)
    for (int y = 0; y < rows; ++y)
      for (int x = 0; x < cols; ++x) v.at(z, y, x) = buf[(size_t(x) * B + y) * D + z];
  return v;
}
}  // namespace

Case read_dota_sample(const std::string& path, int index, bool crop_to_24) {
  H5::H5File f = physics::h5::open_read(path);
  try {
    Case c;
    c.ct = read_dota_volume(f, "geometry", index, crop_to_24, path);
    for (int k = 0;; ++k) {
      const std::string dn = "dose" + std::to_string(k), en = "energy" + std::to_string(k);
      if (!physics::h5::has_link(f, dn)) {
        if (k == 0) throw FormatError(path + ": missing dataset 'dose0' (DoTA layout)");
        break;
      }
      Dose d;
      d.volume = read_dota_volume(f, dn, index, crop_to_24, path);
      if (!d.volume.same_grid(c.ct))
        throw ShapeError(path + ": dataset '" + dn + "' does not match 'geometry'");
      double e = 0.0;
      if (physics::h5::has_link(f, en)) {
        H5::DataSet es = f.openDataSet(en);
        const auto ed = physics::h5::dims(es);
        hsize_t total = 1;
        for (auto x : ed) total *= x;
        if (hsize_t(index) >= total)
          throw ShapeError(path + ": dataset '" + en + "' has " + std::to_string(total) +
                           " values, sample " + std::to_string(index) + " requested");
        require_memory(std::vector<hsize_t>{total}, sizeof(double),
                       path + ": dataset '" + en + "'");
        std::vector<double> all(total);
        es.read(all.data(), H5::PredType::NATIVE_DOUBLE);
        e = all[index];
      } else {
        throw FormatError(path + ": missing dataset '" + en + "' (DoTA layout)");
      }
      d.attributes = {{"source", "dota"}, {"energy_mev", e}, {"cropped_to_24", crop_to_24}};
      if (k == 0) c.energy_mev = e;
      c.doses.emplace(dn, std::move(d));
    }
    for (float v : c.ct.data)
      if (!std::isfinite(v)) throw ValueError(path + ": 'geometry' sample has NaN/Inf");
    return c;
  } catch (const H5::Exception& e) {
    throw IoError(path + ": read failed: " + e.getDetailMsg());
  }
}

}  // namespace dotakv
