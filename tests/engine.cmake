# End-to-end tests of the engine: the endgame binary runs real scenarios
# against the embedded CPython in supervised children.
#   engine_e2e_test(NAME LABELS DIR_DEFINE DIR [SOURCE FILE] [DEFINES D...]):
#   NAME.cc (or FILE), told where the endgame binary is and (as DIR_DEFINE)
#   the folder of its scenarios.
function(engine_e2e_test name labels dir_define dir)
  cmake_parse_arguments(ARG "" "SOURCE" "DEFINES" ${ARGN})
  if(NOT ARG_SOURCE)
    set(ARG_SOURCE ${name}.cc)
  endif()
  add_executable(${name} ${ARG_SOURCE})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE endgame::base GTest::gtest_main endgame::sanitize)
  target_compile_definitions(${name} PRIVATE ENDGAME_BIN="$<TARGET_FILE:endgame>" ${dir_define}="${dir}" ${ARG_DEFINES})
  add_dependencies(${name} endgame)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES TIMEOUT 300)
  # The labels are a list, which gtest_discover_tests' PROPERTIES cannot pass
  # (it writes "LABELS runtime surface": the tests got "runtime" only). A
  # file ctest reads after the discovered tests sets them whole.
  file(WRITE ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake
    "if(DEFINED ${name}_TESTS)\n  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${labels}\")\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES ${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake)
endfunction()

# tests/engine/*.scn, asserted one by one.
engine_e2e_test(engine_test engine ENDGAME_ENGINE_SCENARIOS ${CMAKE_CURRENT_SOURCE_DIR}/engine)
# The version table (tests/versions/*.scn): one test per file, skipped on the
# CPythons its `requires` line excludes; in the runtime label, so every lane
# (3.13, 3.14, 3.15, release and debug) asserts its own rows.
engine_e2e_test(version_table_test "runtime;versions" ENDGAME_VERSION_SCENARIOS ${CMAKE_CURRENT_SOURCE_DIR}/versions)
# The Python strategies (tests/strategies/*.scn, docs/strategies.md): each
# file's verdict asserted as the version table's are, on every lane; the
# user-defined strategy module of the docs is found through PYTHONPATH.
engine_e2e_test(strategy_table_test "runtime;strategies" ENDGAME_VERSION_SCENARIOS
  ${CMAKE_CURRENT_SOURCE_DIR}/strategies SOURCE version_table_test.cc
  DEFINES ENDGAME_SCENARIO_PYTHONPATH="${CMAKE_CURRENT_SOURCE_DIR}/strategies")
# The example docs/strategies.md shows is the module user_module runs.
add_test(NAME docs_strategy_example
  COMMAND ${PROJECT_SOURCE_DIR}/tests/tools/docs_strategy_example_test.sh ${PROJECT_SOURCE_DIR})
set_tests_properties(docs_strategy_example PROPERTIES LABELS "strategies")
# The scenario language's surface beyond spawn/exec/destroy (tests/surface/*.scn:
# queues, put, get, raise_with; docs/scenario-language.md): each file's
# verdict asserted as the version table's are, on every lane.
engine_e2e_test(surface_table_test "runtime;surface" ENDGAME_VERSION_SCENARIOS
  ${CMAKE_CURRENT_SOURCE_DIR}/surface SOURCE version_table_test.cc)
