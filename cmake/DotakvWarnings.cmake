# Project-wide compile options applied through an interface target, so third-party code
# (included as SYSTEM) does not inherit our warnings.
add_library(dotakv_options INTERFACE)
target_compile_options(dotakv_options INTERFACE -Wall -Wextra -Wno-unused-parameter)
if(DOTAKV_NATIVE)
  target_compile_options(dotakv_options INTERFACE -march=native)
endif()
if(DOTAKV_SANITIZE)
  target_compile_options(dotakv_options INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer)
  target_link_options(dotakv_options INTERFACE -fsanitize=address,undefined)
endif()
if(DOTAKV_BUILD_FUZZ)
  # libFuzzer coverage for core and the targets (the targets add -fsanitize=fuzzer when linking);
  # UBSan findings abort so libFuzzer records them as crashes.
  target_compile_options(dotakv_options INTERFACE -fsanitize=fuzzer-no-link
                                                  -fno-sanitize-recover=all)
  target_link_options(dotakv_options INTERFACE -fno-sanitize-recover=all)
endif()
if(DOTAKV_TSAN)
  # ThreadSanitizer (clang + LLVM's OpenMP with its Archer tool: scripts/test_tsan.sh).
  target_compile_options(dotakv_options INTERFACE -fsanitize=thread -fno-omit-frame-pointer)
  target_link_options(dotakv_options INTERFACE -fsanitize=thread)
endif()
string(TOUPPER "${CMAKE_BUILD_TYPE}" _bt)
string(JOIN " " DOTAKV_CXX_FLAGS_SUMMARY ${CMAKE_CXX_FLAGS} ${CMAKE_CXX_FLAGS_${_bt}} -fopenmp)
if(DOTAKV_NATIVE)
  string(APPEND DOTAKV_CXX_FLAGS_SUMMARY " -march=native")
endif()
if(DOTAKV_SANITIZE)
  string(APPEND DOTAKV_CXX_FLAGS_SUMMARY " -fsanitize=address,undefined")
endif()
if(DOTAKV_TSAN)
  string(APPEND DOTAKV_CXX_FLAGS_SUMMARY " -fsanitize=thread")
endif()
