# Fuzz targets of the scenario language itself (issue 3): the `.scn` parser and
# printer, and the byte codec with the structural mutator. The code under
# test is endgame/scenario, so these link a copy of it built with coverage
# instrumentation (fuzzer-no-link) instead of endgame::scenario.
get_target_property(_scn_sources endgame_scenario SOURCES)
get_target_property(_scn_dir endgame_scenario SOURCE_DIR)
list(TRANSFORM _scn_sources PREPEND "${_scn_dir}/")
add_library(endgame_scenario_fuzzing STATIC ${_scn_sources})
target_include_directories(endgame_scenario_fuzzing PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(endgame_scenario_fuzzing
  PUBLIC endgame::base absl::status absl::statusor absl::strings absl::span
  PRIVATE endgame::sanitize)
if(ENDGAME_HAVE_LIBFUZZER OR ENDGAME_LIB_FUZZING_ENGINE)
  target_link_libraries(endgame_scenario_fuzzing PRIVATE endgame::fuzzer_no_link)
endif()

endgame_add_fuzzer(scenario_text_fuzzer SOURCES scenario_text_fuzzer.cc LIBS endgame_scenario_fuzzing)
endgame_add_fuzzer(scenario_bytes_fuzzer SOURCES scenario_bytes_fuzzer.cc LIBS endgame_scenario_fuzzing)

# Smoke test in the regular suite: replay the text seeds through both targets
# (as libFuzzer runs or through replay_main.cc).
if(ENDGAME_BUILD_TESTS)
  add_test(NAME scenario_text_fuzzer_corpus
    COMMAND scenario_text_fuzzer -runs=0 ${PROJECT_SOURCE_DIR}/corpus/scenario)
  add_test(NAME scenario_bytes_fuzzer_corpus
    COMMAND scenario_bytes_fuzzer -runs=0 ${PROJECT_SOURCE_DIR}/corpus/scenario)
endif()
