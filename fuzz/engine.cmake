# The engine fuzz targets (issue 5, DESIGN.md §4): lifecycle, strategy_diff,
# destroy_race, interp_config. Each decodes its input with the scenario codec
# and runs it in-process on the embedded CPython (fuzz/harness.h). Their seeds
# are the commented `.scn` files in corpus/<target>/, turned into byte seeds
# in ${CMAKE_BINARY_DIR}/fuzz/seeds/<target>/ by seed_encoder at build time.
set(ENDGAME_FUZZ_TARGETS lifecycle strategy_diff destroy_race interp_config)

add_executable(seed_encoder seed_encoder.cc)
target_link_libraries(seed_encoder PRIVATE endgame::scenario)

add_library(endgame_fuzz_harness STATIC harness.cc)
target_include_directories(endgame_fuzz_harness PUBLIC ${PROJECT_SOURCE_DIR})
target_link_libraries(endgame_fuzz_harness
  PUBLIC endgame::run endgame::scenario
  PRIVATE endgame::report endgame::py endgame::base endgame::sanitize)

set(_seed_dirs)
foreach(_t IN LISTS ENDGAME_FUZZ_TARGETS)
  endgame_add_fuzzer(${_t}_fuzzer SOURCES ${_t}_fuzzer.cc LIBS endgame_fuzz_harness)
  file(GLOB _seeds CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/corpus/${_t}/*.scn)
  set(_out ${CMAKE_BINARY_DIR}/fuzz/seeds/${_t})
  add_custom_command(OUTPUT ${_out}.stamp
    COMMAND ${CMAKE_COMMAND} -E rm -rf ${_out}
    COMMAND seed_encoder ${_out} ${_seeds}
    COMMAND ${CMAKE_COMMAND} -E touch ${_out}.stamp
    DEPENDS seed_encoder ${_seeds}
    COMMENT "Encoding the ${_t} seeds"
    VERBATIM)
  list(APPEND _seed_dirs ${_out}.stamp)
  if(ENDGAME_BUILD_TESTS)
    # Replays the target's whole corpus, in-process as the fuzzer runs it.
    add_test(NAME ${_t}_fuzzer_corpus COMMAND ${_t}_fuzzer -runs=0 -timeout=25 ${_out})
    set_tests_properties(${_t}_fuzzer_corpus PROPERTIES LABELS "fuzz" TIMEOUT 600)
  endif()
endforeach()
add_custom_target(fuzz_seeds ALL DEPENDS ${_seed_dirs})
