# End-to-end tests of the engine: the endgame binary runs real scenarios
# (tests/engine/*.scn) against the embedded CPython in supervised children.
add_executable(engine_test engine_test.cc)
target_include_directories(engine_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(engine_test PRIVATE endgame::base GTest::gtest_main endgame::sanitize)
target_compile_definitions(engine_test PRIVATE
  ENDGAME_BIN="$<TARGET_FILE:endgame>"
  ENDGAME_ENGINE_SCENARIOS="${CMAKE_CURRENT_SOURCE_DIR}/engine")
add_dependencies(engine_test endgame)
gtest_discover_tests(engine_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS engine TIMEOUT 300)

# The version table (tests/versions/*.scn): one test per file, skipped on the
# CPythons its `requires` line excludes; in the runtime label, so every lane
# (3.13, 3.14, 3.15, release and debug) asserts its own rows.
add_executable(version_table_test version_table_test.cc)
target_include_directories(version_table_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(version_table_test PRIVATE endgame::base GTest::gtest_main endgame::sanitize)
target_compile_definitions(version_table_test PRIVATE
  ENDGAME_BIN="$<TARGET_FILE:endgame>"
  ENDGAME_VERSION_SCENARIOS="${CMAKE_CURRENT_SOURCE_DIR}/versions")
add_dependencies(version_table_test endgame)
gtest_discover_tests(version_table_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "runtime;versions" TIMEOUT 300)
