# Git revision captured at configure time and refreshed on every build by a small script target.
set(DOTAKV_VERSION_IN ${CMAKE_SOURCE_DIR}/core/src/build_info.cpp.in)
set(DOTAKV_VERSION_OUT ${CMAKE_BINARY_DIR}/generated/build_info.cpp)
add_custom_target(dotakv_build_info
  COMMAND ${CMAKE_COMMAND}
    -DSRC=${CMAKE_SOURCE_DIR} -DIN=${DOTAKV_VERSION_IN} -DOUT=${DOTAKV_VERSION_OUT}
    -DVERSION=${PROJECT_VERSION} "-DCOMPILER=${CMAKE_CXX_COMPILER_ID} ${CMAKE_CXX_COMPILER_VERSION}"
    "-DFLAGS=${DOTAKV_CXX_FLAGS_SUMMARY}" -DBUILD_TYPE=${CMAKE_BUILD_TYPE}
    -P ${CMAKE_SOURCE_DIR}/cmake/WriteBuildInfo.cmake
  BYPRODUCTS ${DOTAKV_VERSION_OUT}
  COMMENT "Stamping git revision" VERBATIM)
