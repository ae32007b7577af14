# End-to-end tests of the scenario subcommands (print, encode, decode, check):
# the built endgame binary runs on real files; assertions are on exit status,
# stdout and the exact stderr lines users see.
add_executable(scenario_cli_test scenario_cli_test.cc)
target_include_directories(scenario_cli_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(scenario_cli_test PRIVATE endgame::scenario endgame::base GTest::gtest_main
  endgame::sanitize)
target_compile_definitions(scenario_cli_test PRIVATE
  ENDGAME_BIN="$<TARGET_FILE:endgame>"
  ENDGAME_CORPUS_DIR="${PROJECT_SOURCE_DIR}/corpus")
add_dependencies(scenario_cli_test endgame)
gtest_discover_tests(scenario_cli_test DISCOVERY_TIMEOUT 60)
