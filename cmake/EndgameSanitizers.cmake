# Sanitizer and fuzzer flags as interface targets, linked only by the targets
# under test (never global flags).
#
#   ENDGAME_SANITIZER = none | address | thread
#     endgame::sanitize        compile + link flags for that sanitizer (address
#                              also enables undefined behaviour checks)
#   endgame::fuzzer_no_link    -fsanitize=fuzzer-no-link (coverage for libFuzzer)
#   endgame::fuzzer            -fsanitize=fuzzer (libFuzzer's main), when available
set(ENDGAME_SANITIZER "none" CACHE STRING "Sanitizer for endgame's own code: none|address|thread")
set_property(CACHE ENDGAME_SANITIZER PROPERTY STRINGS none address thread)

add_library(endgame_sanitize INTERFACE)
add_library(endgame::sanitize ALIAS endgame_sanitize)
if(ENDGAME_SANITIZER STREQUAL "address")
  set(_flags -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
elseif(ENDGAME_SANITIZER STREQUAL "thread")
  set(_flags -fsanitize=thread -fno-omit-frame-pointer)
elseif(NOT ENDGAME_SANITIZER STREQUAL "none")
  message(FATAL_ERROR "ENDGAME_SANITIZER must be none, address or thread, not '${ENDGAME_SANITIZER}'")
endif()
if(_flags)
  target_compile_options(endgame_sanitize INTERFACE ${_flags})
  target_link_options(endgame_sanitize INTERFACE ${_flags})
endif()

include(CheckCXXSourceCompiles)
set(CMAKE_REQUIRED_FLAGS "-fsanitize=fuzzer")
check_cxx_source_compiles("
  #include <cstddef>
  #include <cstdint>
  extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }"
  ENDGAME_HAVE_LIBFUZZER)
unset(CMAKE_REQUIRED_FLAGS)

add_library(endgame_fuzzer_no_link INTERFACE)
add_library(endgame::fuzzer_no_link ALIAS endgame_fuzzer_no_link)
add_library(endgame_fuzzer INTERFACE)
add_library(endgame::fuzzer ALIAS endgame_fuzzer)
if(ENDGAME_HAVE_LIBFUZZER)
  target_compile_options(endgame_fuzzer_no_link INTERFACE -fsanitize=fuzzer-no-link)
  target_link_options(endgame_fuzzer INTERFACE -fsanitize=fuzzer)
endif()
# Coverage for libFuzzer inside endgame's own engine libraries (scenario, py,
# driver, strategy, run), not only in the fuzz targets' files: with a release
# CPython, which has no coverage of its own, this is all the feedback the
# engine fuzz targets get. On in the fuzz presets; OSS-Fuzz instruments
# everything through $CXXFLAGS anyway.
option(ENDGAME_FUZZ_COVERAGE "Build endgame's engine libraries with -fsanitize=fuzzer-no-link" OFF)
# OSS-Fuzz passes the engine as $LIB_FUZZING_ENGINE; it wins when set.
set(ENDGAME_LIB_FUZZING_ENGINE "$ENV{LIB_FUZZING_ENGINE}" CACHE STRING "Fuzzing engine to link instead of -fsanitize=fuzzer (OSS-Fuzz)")
