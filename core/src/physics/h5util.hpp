// Private HDF5 helpers for case and dataset files: every H5::Exception becomes a dotakv error
// naming the file and object.
#pragma once
#include <H5Cpp.h>

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace dotakv::physics::h5 {

// Throws IoError if `path` is missing or not an HDF5 file (names the file), else opens it.
// The one place core opens an HDF5 file for reading; a dotakv::h5::ScopedFileImage registered
// for `path` (dotakv/h5_file_image.hpp, fuzz targets and tests) is opened from memory instead.
H5::H5File open_read(const std::string& path);
bool has_link(const H5::Group& g, const std::string& name);
bool has_attr(const H5::H5Object& o, const std::string& name);
std::vector<hsize_t> dims(const H5::DataSet& ds);
// HDF5 sizes its conversion and chunk buffers from the file's claims, not from the shape a
// loader checks: an element of gigabytes or a chunk far larger than the dataset makes it
// allocate that much for a few numbers (fuzz: weights, digits_model). FormatError
// "<where>: expected 1-, 2-, 4- or 8-byte elements, found N-byte" or "... chunk [..] is larger
// than the dataset [..]" before any data is read.
void require_plain_layout(const H5::DataSet& ds, const std::string& where);

double read_attr_double(const H5::H5Object& o, const std::string& name, const std::string& where);
// A count stored as a double (epoch, optimizer step, primaries) as an integer: FormatError
// "<what>: expected a count in 0..max, found v" unless finite and in [0, max] (casting NaN or
// an out-of-range double is undefined behaviour).
long long stored_count(double v, double max, const std::string& what);
std::vector<double> read_attr_doubles(const H5::H5Object& o, const std::string& name,
                                      const std::string& where);
void write_attr(H5::H5Object& o, const std::string& name, double v);
void write_attr(H5::H5Object& o, const std::string& name, long long v);
void write_attr(H5::H5Object& o, const std::string& name, const std::string& v);
void write_attr(H5::H5Object& o, const std::string& name, const std::vector<double>& v);
std::string read_attr_string(const H5::H5Object& o, const std::string& name);
// JSON object -> one attribute per key (numbers, strings, bools; others as JSON text).
void write_json_attrs(H5::H5Object& o, const nlohmann::json& j);
nlohmann::json read_json_attrs(const H5::H5Object& o);

// float32 dataset [d0, d1, ...] (chunked + deflate when available).
H5::DataSet create_float_dataset(H5::Group& g, const std::string& name,
                                 const std::vector<hsize_t>& shape,
                                 const std::vector<hsize_t>& chunk);

// 1-D dataset of n elements, without object timestamps.
H5::DataSet create_dataset_1d(H5::Group& g, const std::string& name, const H5::PredType& type,
                              hsize_t n);

}  // namespace dotakv::physics::h5
