# The OSS-Fuzz build (issue 5): scripts/oss-fuzz/build.sh with OSS-Fuzz's
# variables for address + libFuzzer into a temporary $OUT, then every target
# run from $OUT alone for 10 seconds. Slow (it builds CPython from source):
# labelled so, and still part of the normal run.
find_program(ENDGAME_CLANGXX clang++)
if(ENDGAME_CLANGXX)
  add_test(NAME oss_fuzz_build
    COMMAND ${PROJECT_SOURCE_DIR}/tests/tools/oss_fuzz_build_test.sh ${PROJECT_SOURCE_DIR})
  set_tests_properties(oss_fuzz_build PROPERTIES LABELS "slow;fuzz" TIMEOUT 3000 RUN_SERIAL TRUE)
endif()
add_test(NAME fuzz_sh_rejects_bad_usage COMMAND ${CMAKE_COMMAND}
  -DSCRIPT=${PROJECT_SOURCE_DIR}/scripts/fuzz.sh -P ${PROJECT_SOURCE_DIR}/tests/tools/check_fuzz_sh_usage.cmake)
set_tests_properties(fuzz_sh_rejects_bad_usage PROPERTIES LABELS "fuzz")

# A seed known to end in a fatal error on 3.13 (corpus/known) is found again
# by scripts/fuzz.sh within seconds and triaged with its signature and stacks.
# Uses the release CPython (preset fuzz-release), so it needs no asan-fuzz build.
if(ENDGAME_CLANGXX)
  add_test(NAME fuzz_sh_refinds_a_known_fatal
    COMMAND ${PROJECT_SOURCE_DIR}/tests/tools/fuzz_sh_refind_test.sh ${PROJECT_SOURCE_DIR})
  set_tests_properties(fuzz_sh_refinds_a_known_fatal PROPERTIES LABELS "slow;fuzz" TIMEOUT 1800 RUN_SERIAL TRUE)
endif()
