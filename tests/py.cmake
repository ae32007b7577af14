# Runtime tests (label "runtime"): run against whichever CPython this build
# embeds; scripts/test.sh builds them against each CPython of the matrix.
set(_variant "")
if(EXISTS "${ENDGAME_PYTHON_PREFIX}/.endgame-built")
  file(STRINGS "${ENDGAME_PYTHON_PREFIX}/.endgame-built" _v REGEX "^variant=")
  string(REPLACE "variant=" "" _variant "${_v}")
endif()
# A debug build not made by endgame (Debian's python3.X-dbg) says so in its
# ABI flags ("d").
execute_process(COMMAND "${ENDGAME_PYTHON_CONFIG}" --abiflags OUTPUT_VARIABLE _abiflags
  OUTPUT_STRIP_TRAILING_WHITESPACE ERROR_QUIET)
if(_variant STREQUAL "debug" OR _abiflags MATCHES "d")
  set(_debug 1)
else()
  set(_debug 0)
endif()
string(REGEX MATCH "^[0-9]+\\.[0-9]+" _series "${ENDGAME_PYTHON_VERSION}")
if(_series VERSION_GREATER_EQUAL 3.12)
  set(_own_gil 1)
else()
  set(_own_gil 0)
endif()
# The best interpreters module: PEP 734's stdlib one from 3.14.
# The low-level module endgame's adapter drives: _interpreters from 3.13.
if(_series VERSION_GREATER_EQUAL 3.13)
  set(_low_module "_interpreters")
else()
  set(_low_module "_xxsubinterpreters")
endif()
if(_series VERSION_GREATER_EQUAL 3.14)
  set(_module "concurrent.interpreters")
else()
  set(_module "${_low_module}")
endif()

add_executable(py_runtime_test py_runtime_test.cc)
target_include_directories(py_runtime_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(py_runtime_test PRIVATE endgame::py endgame::run GTest::gtest_main endgame::sanitize)
target_compile_definitions(py_runtime_test PRIVATE
  ENDGAME_EXPECT_VERSION="${ENDGAME_PYTHON_VERSION}"
  ENDGAME_EXPECT_DEBUG=${_debug}
  ENDGAME_EXPECT_OWN_GIL=${_own_gil}
  ENDGAME_EXPECT_MODULE="${_module}"
  ENDGAME_EXPECT_LOW_MODULE="${_low_module}"
  ENDGAME_EXPECT_VARIANT="${_variant}")
gtest_discover_tests(py_runtime_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS runtime)

# The doctor command end to end, on this build's CPython.
add_test(NAME doctor_json COMMAND ${CMAKE_COMMAND}
  -DEXE=$<TARGET_FILE:endgame> -DVERSION=${ENDGAME_PYTHON_VERSION} -DOWN_GIL=${_own_gil}
  -DMODULE=${_module} -P ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_doctor.cmake)
set_tests_properties(doctor_json PROPERTIES LABELS runtime)
