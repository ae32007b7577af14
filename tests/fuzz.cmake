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
