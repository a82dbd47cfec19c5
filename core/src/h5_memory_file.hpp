// HDF5 files built in memory, then written with checked POSIX writes. HDF5 1.10 cannot recover
// from a failed write to disk (disk full, file-size limit): the failed flush leaves the file
// half-closed, its C++ destructors print "H5Fclose failed" and the library crashes at exit.
// In memory HDF5's own writes cannot fail; our write of the image reports the system's reason.
#pragma once
#include <H5Cpp.h>

#include <string>

namespace dotakv::h5mem {

// A new, empty HDF5 file in memory (core driver, no backing store).
H5::H5File create();
// An existing file read into memory for modification (changes stay in memory).
H5::H5File open_rdwr(const std::string& path);
// Flushes `f` and writes its image to `tmp` (created or truncated). Throws IoError naming
// `path` with the reason (e.g. "No space left on device").
void write_image(H5::H5File& f, const std::string& tmp, const std::string& path);

}  // namespace dotakv::h5mem
