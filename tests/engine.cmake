# End-to-end tests of the engine: the endgame binary runs real scenarios
# against the embedded CPython in supervised children.
#   engine_e2e_test(NAME LABELS DIR_DEFINE DIR): NAME.cc, told where the
#   endgame binary is and (as DIR_DEFINE) the folder of its scenarios.
function(engine_e2e_test name labels dir_define dir)
  add_executable(${name} ${name}.cc)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE endgame::base GTest::gtest_main endgame::sanitize)
  target_compile_definitions(${name} PRIVATE ENDGAME_BIN="$<TARGET_FILE:endgame>" ${dir_define}="${dir}")
  add_dependencies(${name} endgame)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "${labels}" TIMEOUT 300)
endfunction()

# tests/engine/*.scn, asserted one by one.
engine_e2e_test(engine_test engine ENDGAME_ENGINE_SCENARIOS ${CMAKE_CURRENT_SOURCE_DIR}/engine)
# The version table (tests/versions/*.scn): one test per file, skipped on the
# CPythons its `requires` line excludes; in the runtime label, so every lane
# (3.13, 3.14, 3.15, release and debug) asserts its own rows.
engine_e2e_test(version_table_test "runtime;versions" ENDGAME_VERSION_SCENARIOS ${CMAKE_CURRENT_SOURCE_DIR}/versions)
