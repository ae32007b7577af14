# endgame_library(): one core library of endgame/<name>/ and its unit tests.
#
#   endgame_library(NAME <name>
#                   SOURCES <files...>
#                   [DEPS <targets...>]              PUBLIC link dependencies
#                   [PRIVATE_DEPS <targets...>]      PRIVATE ones (before endgame::sanitize)
#                   [TESTS <files...>]               the test executable's sources
#                   [TEST_DEPS <targets...>]         its extra links (e.g. GTest::gmock)
#                   [TEST_DEFINITIONS <defs...>])    its compile definitions
#
# Defines endgame_<name> and its alias endgame::<name>, which includes from
# the source root (`#include "endgame/<name>/x.h"`) and is sanitized as
# ENDGAME_SANITIZER says (endgame::sanitize, linked privately). With TESTS and
# ENDGAME_BUILD_TESTS, also endgame_<name>_test, linked to endgame::<name>,
# TEST_DEPS and GoogleTest's main, whose tests ctest discovers. Anything else
# (generated sources, include folders, warnings) follows the call in the
# folder's CMakeLists.txt.
function(endgame_library)
  cmake_parse_arguments(PARSE_ARGV 0 ARG ""
    "NAME" "SOURCES;DEPS;PRIVATE_DEPS;TESTS;TEST_DEPS;TEST_DEFINITIONS")
  if(NOT ARG_NAME OR NOT ARG_SOURCES)
    message(FATAL_ERROR "endgame_library: NAME and SOURCES are required")
  endif()
  if(ARG_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "endgame_library(${ARG_NAME}): unknown arguments ${ARG_UNPARSED_ARGUMENTS}")
  endif()
  set(lib endgame_${ARG_NAME})
  add_library(${lib} ${ARG_SOURCES})
  add_library(endgame::${ARG_NAME} ALIAS ${lib})
  target_include_directories(${lib} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${lib} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS} endgame::sanitize)

  if(ARG_TESTS AND ENDGAME_BUILD_TESTS)
    set(test ${lib}_test)
    add_executable(${test} ${ARG_TESTS})
    target_link_libraries(${test} PRIVATE endgame::${ARG_NAME} ${ARG_TEST_DEPS} GTest::gtest_main endgame::sanitize)
    if(ARG_TEST_DEFINITIONS)
      target_compile_definitions(${test} PRIVATE ${ARG_TEST_DEFINITIONS})
    endif()
    gtest_discover_tests(${test} DISCOVERY_TIMEOUT 60)
  endif()
endfunction()
