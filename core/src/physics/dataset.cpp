// Dataset generation (resumable) and reading, both layouts. See dataset.hpp.
#include "dotakv/dataset.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <limits>

#include "dotakv/atomic_file.hpp"
#include "dotakv/error.hpp"
#include "dotakv/limits.hpp"
#include "dotakv/materials.hpp"
#include "dotakv/mc.hpp"
#include "h5util.hpp"
#include "rng.hpp"

namespace dotakv::physics {
namespace fs = std::filesystem;
namespace {

struct SampleSpec {
  PhantomKind kind;
  double energy;
  uint64_t phantom_seed, mc_seed;
};

SampleSpec sample_spec(const DatasetOptions& o, int i) {
  detail::Rng r(o.seed, 0x5EED0000ull + uint64_t(i));
  SampleSpec s;
  s.kind = o.kinds[size_t(r.next() % o.kinds.size())];
  s.energy = o.energy_min + (o.energy_max - o.energy_min) * r.uniform();
  s.energy = std::round(s.energy * 100.0) / 100.0;
  s.phantom_seed = r.next();
  s.mc_seed = r.next();
  return s;
}

std::string part_path(const std::string& out, int i) {
  char name[32];
  std::snprintf(name, sizeof name, "sample_%06d.h5", i);
  return (fs::path(out + ".parts") / name).string();
}

Case make_sample(const DatasetOptions& o, int i) {
  const SampleSpec s = sample_spec(o, i);
  PhantomOptions po;
  po.kind = s.kind;
  po.seed = s.phantom_seed;
  po.slices = o.slices;
  po.rows = o.rows;
  po.cols = o.cols;
  po.spacing_mm = o.spacing_mm;
  Case c;
  c.ct = make_phantom(po);
  c.energy_mev = s.energy;
  McOptions mo;
  mo.energy_mev = s.energy;
  mo.primaries = o.primaries;
  mo.seed = s.mc_seed;
  mo.threads = o.threads;
  McResult r = run_mc(c.ct, mo);
  Dose d;
  d.volume = std::move(r.dose);
  d.attributes = {{"engine", "mc"},
                  {"primaries", o.primaries},
                  {"seed", (long long)s.mc_seed},
                  {"kind", phantom_kind_name(s.kind)},
                  {"sample", i},
                  {"dataset_seed", (long long)o.seed}};
  c.doses.emplace("mc", std::move(d));
  return c;
}

std::string fmt_duration(double s) {
  if (!std::isfinite(s) || s < 0) return "?";
  const long long t = (long long)std::llround(s);
  char buf[32];
  if (t >= 3600)
    std::snprintf(buf, sizeof buf, "%lldh%02lldm", t / 3600, (t / 60) % 60);
  else if (t >= 60)
    std::snprintf(buf, sizeof buf, "%lldm%02llds", t / 60, t % 60);
  else
    std::snprintf(buf, sizeof buf, "%llds", t);
  return buf;
}

void validate(const DatasetOptions& o) {
  if (o.n <= 0) throw ValueError("dataset: n must be > 0, found " + std::to_string(o.n));
  if (!(o.energy_min > 0.0) || !(o.energy_max <= kTableMaxEnergyMeV) ||
      !(o.energy_min <= o.energy_max))
    throw ValueError("dataset: energies must satisfy 0 < min <= max <= 300 MeV, found " +
                     std::to_string(o.energy_min) + ":" + std::to_string(o.energy_max));
  if (o.primaries <= 0)
    throw ValueError("dataset: primaries must be > 0, found " + std::to_string(o.primaries));
  if (o.kinds.empty()) throw ValueError("dataset: at least one phantom kind is required");
  if (o.slices <= 0 || o.rows <= 0 || o.cols <= 0 || !(o.spacing_mm > 0.0))
    throw ValueError("dataset: grid sizes and spacing must be positive");
}

// Writes sample i into the open output file (either layout).
void write_sample(H5::H5File& f, const DatasetOptions& o, int i, const Case& c) {
  const Volume& ct = c.ct;
  const Volume& dose = c.doses.at("mc").volume;
  if (!o.dota_layout) {
    const hsize_t start[4] = {hsize_t(i), 0, 0, 0};
    const hsize_t count[4] = {1, hsize_t(ct.slices), hsize_t(ct.rows), hsize_t(ct.cols)};
    H5::DataSpace ms(4, count);
    for (const char* name : {"ct", "dose"}) {
      H5::DataSet ds = f.openDataSet(name);
      H5::DataSpace sp = ds.getSpace();
      sp.selectHyperslab(H5S_SELECT_SET, count, start);
      ds.write((std::string(name) == "ct" ? ct : dose).data.data(), H5::PredType::NATIVE_FLOAT, ms,
               sp);
    }
  } else {
    // DoTA: [A = cols+1, B = rows+1, D, N]; element (x, y, z) = ours (z, y, x) with the last
    // row/column repeated as padding.
    const int A = ct.cols + 1, B = ct.rows + 1, D = ct.slices;
    const hsize_t start[4] = {0, 0, 0, hsize_t(i)};
    const hsize_t count[4] = {hsize_t(A), hsize_t(B), hsize_t(D), 1};
    H5::DataSpace ms(4, count);
    std::vector<float> buf(size_t(A) * B * D);
    for (const char* name : {"geometry", "dose0"}) {
      const Volume& v = std::string(name) == "geometry" ? ct : dose;
      for (int x = 0; x < A; ++x)
        for (int y = 0; y < B; ++y)
          for (int z = 0; z < D; ++z)
            buf[(size_t(x) * B + y) * D + z] =
                v.at(z, std::min(y, v.rows - 1), std::min(x, v.cols - 1));
      H5::DataSet ds = f.openDataSet(name);
      H5::DataSpace sp = ds.getSpace();
      sp.selectHyperslab(H5S_SELECT_SET, count, start);
      ds.write(buf.data(), H5::PredType::NATIVE_FLOAT, ms, sp);
    }
  }
}

}  // namespace

DatasetSummary generate_dataset(const DatasetOptions& o, const std::string& out,
                                Progress* progress) {
  validate(o);
  H5::Exception::dontPrint();
  const auto t0 = std::chrono::steady_clock::now();
  DatasetSummary sum;
  sum.n = o.n;
  // Samples already in an existing output file are reused if it was made with the same options.
  int existing = 0;
  std::error_code ec;
  if (fs::exists(out, ec)) {
    const DatasetInfo info = dataset_info(out);
    H5::H5File f = h5::open_read(out);
    auto check = [&](const char* attr, double want) {
      if (!h5::has_attr(f, attr))
        throw ConfigError(out + ": exists but has no attribute '" + std::string(attr) +
                          "'; cannot resume");
      const double have = h5::read_attr_double(f, attr, out);
      if (std::abs(have - want) > 1e-9 * std::max(1.0, std::abs(want)))
        throw ConfigError(out + ": exists with " + attr + " = " + std::to_string(have) +
                          ", requested " + std::to_string(want) +
                          "; use another --out to start a new dataset");
    };
    check("seed", double(o.seed));
    check("primaries", double(o.primaries));
    check("energy_min", o.energy_min);
    check("energy_max", o.energy_max);
    if (info.dota_layout != o.dota_layout)
      throw ConfigError(out + ": exists in the " +
                        std::string(info.dota_layout ? "DoTA" : "dotakv") +
                        " layout; requested the other one");
    existing = std::min(info.n, o.n);
  }
  fs::create_directories(out + ".parts", ec);
  if (ec) throw IoError(out + ".parts: cannot create directory: " + ec.message());
  int todo = 0;
  for (int i = existing; i < o.n; ++i)
    if (!fs::exists(part_path(out, i))) ++todo;
  int done_now = 0;
  for (int i = existing; i < o.n; ++i) {
    check_cancel(progress);
    const std::string pp = part_path(out, i);
    if (fs::exists(pp)) {
      try {
        (void)load_case(pp);
        ++sum.reused;
        continue;
      } catch (const Error&) {
        // damaged part (should not happen with atomic writes): regenerate it
      }
    }
    const Case c = make_sample(o, i);
    save_case(c, pp);
    ++sum.generated;
    ++done_now;
    const double el = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    const double per = el / done_now;
    report(progress, double(done_now), double(std::max(todo, 1)),
           "sample " + std::to_string(i + 1) + "/" + std::to_string(o.n) + ", " +
               fmt_duration(per) + "/sample, ETA " + fmt_duration(per * (todo - done_now)));
  }
  sum.reused += existing;

  // Assemble atomically, after checking there is room (HDF5 cannot recover from a failed write).
  std::uintmax_t need = existing > 0 ? fs::file_size(out) : 0;
  for (int i = existing; i < o.n; ++i) need += fs::file_size(part_path(out, i));
  check_room_for(out, need + need / 8 + 65536);
  write_atomically(out, [&](const std::string& tmp) {
    try {
      H5::H5File f(tmp, H5F_ACC_TRUNC);
      const hsize_t N = hsize_t(o.n);
      std::vector<double> energies(o.n);
      std::vector<long long> kinds(o.n);
      if (!o.dota_layout) {
        const std::vector<hsize_t> shape = {N, hsize_t(o.slices), hsize_t(o.rows), hsize_t(o.cols)};
        const std::vector<hsize_t> chunk = {1, hsize_t(o.slices), hsize_t(o.rows), hsize_t(o.cols)};
        h5::create_float_dataset(f, "ct", shape, chunk);
        h5::create_float_dataset(f, "dose", shape, chunk);
      } else {
        const std::vector<hsize_t> shape = {hsize_t(o.cols + 1), hsize_t(o.rows + 1),
                                            hsize_t(o.slices), N};
        h5::create_float_dataset(f, "geometry", shape, {});
        h5::create_float_dataset(f, "dose0", shape, {});
      }
      double xmin = std::numeric_limits<double>::infinity(), xmax = -xmin, ymin = xmin,
             ymax = -xmin;
      for (int i = 0; i < o.n; ++i) {
        check_cancel(progress);
        Case c = i < existing ? read_dataset_sample(out, i, true) : load_case(part_path(out, i));
        if (!c.ct.same_grid(Volume(o.slices, o.rows, o.cols)))
          throw ShapeError(out + ": sample " + std::to_string(i) + " grid " +
                           shape_string({c.ct.slices, c.ct.rows, c.ct.cols}) + " differs from " +
                           shape_string({o.slices, o.rows, o.cols}));
        write_sample(f, o, i, c);
        energies[i] = c.energy_mev;
        const auto& attrs = c.doses.at("mc").attributes;
        kinds[i] = attrs.contains("kind") && attrs["kind"].is_string()
                       ? (long long)parse_phantom_kind(attrs["kind"].get<std::string>())
                       : (long long)sample_spec(o, i).kind;
        for (float v : c.ct.data)
          xmin = std::min(xmin, double(v)), xmax = std::max(xmax, double(v));
        for (float v : c.doses.at("mc").volume.data)
          ymin = std::min(ymin, double(v)), ymax = std::max(ymax, double(v));
      }
      const hsize_t n1 = N;
      H5::DataSet e = h5::create_dataset_1d(f, o.dota_layout ? "energy0" : "energy",
                                            H5::PredType::NATIVE_DOUBLE, n1);
      e.write(energies.data(), H5::PredType::NATIVE_DOUBLE);
      H5::DataSet k = h5::create_dataset_1d(f, "kind", H5::PredType::NATIVE_LLONG, n1);
      k.write(kinds.data(), H5::PredType::NATIVE_LLONG);
      h5::write_attr(f, "format", std::string(o.dota_layout ? "dota" : "dotakv-dataset"));
      h5::write_attr(f, "version", 1LL);
      h5::write_attr(f, "n_samples", (long long)o.n);
      h5::write_attr(f, "spacing_mm",
                     std::vector<double>{o.spacing_mm, o.spacing_mm, o.spacing_mm});
      h5::write_attr(f, "primaries", (long long)o.primaries);
      h5::write_attr(f, "seed", (long long)o.seed);
      h5::write_attr(f, "energy_min", o.energy_min);
      h5::write_attr(f, "energy_max", o.energy_max);
      h5::write_attr(f, "x_min", xmin);
      h5::write_attr(f, "x_max", xmax);
      h5::write_attr(f, "y_min", ymin);
      h5::write_attr(f, "y_max", ymax);
      h5::write_attr(f, "e_min", o.energy_min);
      h5::write_attr(f, "e_max", o.energy_max);
      f.flush(H5F_SCOPE_GLOBAL);
    } catch (const H5::Exception& ex) {
      throw IoError(out + ": write failed: " + ex.getDetailMsg());
    }
  });
  fs::remove_all(out + ".parts", ec);
  sum.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sum;
}

namespace {
// Sample count fits an int; one sample's grid is a valid volume that fits the memory cap.
void check_extents(const std::string& path, const std::string& name, hsize_t n,
                   const std::vector<hsize_t>& grid) {
  if (n > hsize_t(std::numeric_limits<int>::max()))
    throw ValueError(path + ": dataset '" + name + "' claims " + std::to_string(n) +
                     " samples, more than " + std::to_string(std::numeric_limits<int>::max()));
  require_volume_axes(grid, path + ": dataset '" + name + "' sample grid");
  require_memory(grid, sizeof(float), path + ": dataset '" + name + "' (one sample)");
}
}  // namespace

DatasetInfo dataset_info(const std::string& path) {
  H5::H5File f = h5::open_read(path);
  try {
    DatasetInfo info;
    if (h5::has_link(f, "ct") && h5::has_link(f, "dose")) {
      const auto d = h5::dims(f.openDataSet("ct"));
      if (d.size() != 4)
        throw ShapeError(path + ": dataset 'ct': expected rank 4 [N, slices, rows, cols], found " +
                         shape_string(std::vector<long long>(d.begin(), d.end())));
      if (h5::dims(f.openDataSet("dose")) != d)
        throw ShapeError(path + ": datasets 'ct' and 'dose' differ in shape");
      check_extents(path, "ct", d[0], {d[1], d[2], d[3]});
      info.n = int(d[0]);
      info.slices = int(d[1]);
      info.rows = int(d[2]);
      info.cols = int(d[3]);
    } else if (h5::has_link(f, "geometry")) {
      const auto d = h5::dims(f.openDataSet("geometry"));
      if (d.size() != 4)
        throw ShapeError(path +
                         ": dataset 'geometry': expected rank 4 [lat, lat, depth, N], found " +
                         shape_string(std::vector<long long>(d.begin(), d.end())));
      check_extents(path, "geometry", d[3], {d[2], d[1], d[0]});
      info.dota_layout = true;
      info.n = int(d[3]);
      info.slices = int(d[2]);
      info.rows = int(d[1]);
      info.cols = int(d[0]);
    } else {
      throw FormatError(
          path +
          ": neither a dotakv dataset ('ct', 'dose') nor DoTA's layout ('geometry', 'dose0')");
    }
    auto opt = [&](const char* a, double& v) {
      if (h5::has_attr(f, a)) v = h5::read_attr_double(f, a, path);
    };
    opt("x_min", info.x_min);
    opt("x_max", info.x_max);
    opt("y_min", info.y_min);
    opt("y_max", info.y_max);
    opt("e_min", info.e_min);
    opt("e_max", info.e_max);
    return info;
  } catch (const H5::Exception& e) {
    throw IoError(path + ": read failed: " + e.getDetailMsg());
  }
}

Case read_dataset_sample(const std::string& path, int index, bool crop_to_24) {
  const DatasetInfo info = dataset_info(path);
  if (index < 0 || index >= info.n)
    throw ValueError(path + ": sample " + std::to_string(index) + " out of range [0, " +
                     std::to_string(info.n) + ")");
  if (info.dota_layout) {
    Case c = read_dota_sample(path, index, crop_to_24);
    auto it = c.doses.find("dose0");
    if (it != c.doses.end()) {
      c.doses["mc"] = std::move(it->second);
      c.doses.erase("dose0");
    }
    return c;
  }
  H5::H5File f = h5::open_read(path);
  try {
    Case c;
    const hsize_t start[4] = {hsize_t(index), 0, 0, 0};
    const hsize_t count[4] = {1, hsize_t(info.slices), hsize_t(info.rows), hsize_t(info.cols)};
    H5::DataSpace ms(4, count);
    auto read = [&](const char* name) {
      Volume v(info.slices, info.rows, info.cols);
      H5::DataSet ds = f.openDataSet(name);
      H5::DataSpace sp = ds.getSpace();
      sp.selectHyperslab(H5S_SELECT_SET, count, start);
      ds.read(v.data.data(), H5::PredType::NATIVE_FLOAT, ms, sp);
      return v;
    };
    c.ct = read("ct");
    if (h5::has_attr(f, "spacing_mm")) {
      const auto sp = h5::read_attr_doubles(f, "spacing_mm", path);
      if (sp.size() == 3) c.ct.spacing_mm = {sp[0], sp[1], sp[2]};
    }
    Dose d;
    d.volume = read("dose");
    d.volume.spacing_mm = c.ct.spacing_mm;
    // One element of a 1-D per-sample dataset (its length checked, never read whole).
    auto read_element = [&](const char* name, const H5::PredType& type, void* out) {
      H5::DataSet ds = f.openDataSet(name);
      H5::DataSpace sp = ds.getSpace();
      hsize_t dims[1] = {0};
      if (sp.getSimpleExtentNdims() != 1 ||
          (sp.getSimpleExtentDims(dims), dims[0]) != hsize_t(info.n))
        throw ShapeError(path + ": dataset '" + name + "': expected [" + std::to_string(info.n) +
                         "] (one per sample)");
      const hsize_t at[1] = {hsize_t(index)}, one[1] = {1};
      sp.selectHyperslab(H5S_SELECT_SET, one, at);
      H5::DataSpace m1(1, one);
      ds.read(out, type, m1, sp);
    };
    if (!h5::has_link(f, "energy")) throw FormatError(path + ": missing dataset 'energy'");
    read_element("energy", H5::PredType::NATIVE_DOUBLE, &c.energy_mev);
    if (!std::isfinite(c.energy_mev) || c.energy_mev <= 0)
      throw ValueError(path + ": dataset 'energy', sample " + std::to_string(index) +
                       ": expected a finite energy > 0 MeV, found " + std::to_string(c.energy_mev));
    for (const auto* v : {&c.ct, &d.volume})
      for (std::size_t i = 0; i < v->data.size(); ++i)
        if (!std::isfinite(v->data[i]))
          throw ValueError(path + ": dataset '" + (v == &c.ct ? "ct" : "dose") + "', sample " +
                           std::to_string(index) + ": voxel " + std::to_string(i) +
                           " is not finite (NaN/Inf)");
    d.attributes = {{"engine", "mc"}, {"sample", index}};
    if (h5::has_attr(f, "primaries"))
      d.attributes["primaries"] = h5::stored_count(h5::read_attr_double(f, "primaries", path),
                                                   9.0e18, path + ": attribute 'primaries'");
    if (h5::has_link(f, "kind")) {
      long long kind = 0;
      read_element("kind", H5::PredType::NATIVE_LLONG, &kind);
      d.attributes["kind"] = phantom_kind_name(PhantomKind(std::clamp<long long>(kind, 0, 3)));
    }
    c.doses.emplace("mc", std::move(d));
    return c;
  } catch (const H5::Exception& e) {
    throw IoError(path + ": read failed: " + e.getDetailMsg());
  }
}

}  // namespace dotakv::physics
