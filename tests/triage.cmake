# Campaigns and triage end to end (label "campaign"; slow, CI runs them).
add_executable(triage_test triage_test.cc)
target_include_directories(triage_test PRIVATE ${PROJECT_SOURCE_DIR})
target_link_libraries(triage_test PRIVATE endgame::report endgame::base GTest::gtest_main endgame::sanitize)
target_compile_definitions(triage_test PRIVATE
  ENDGAME_BIN="$<TARGET_FILE:endgame>"
  ENDGAME_ENGINE_SCENARIOS="${CMAKE_CURRENT_SOURCE_DIR}/engine"
  ENDGAME_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
  ENDGAME_PYTHON_CONFIG="${ENDGAME_PYTHON_CONFIG}"
  ENDGAME_PYTHON_VERSION="${ENDGAME_PYTHON_VERSION}")
add_dependencies(triage_test endgame)
gtest_discover_tests(triage_test DISCOVERY_TIMEOUT 60 PROPERTIES LABELS "campaign" TIMEOUT 900)

# The version matrix over every CPython the machine has, on the known
# NUL-message finding (tests/tools/matrix_versions_test.sh). Host only: the
# 3.14/3.15 lanes have no pyenv and run matrices from the host build.
add_test(NAME matrix_versions
  COMMAND ${PROJECT_SOURCE_DIR}/tests/tools/matrix_versions_test.sh ${PROJECT_SOURCE_DIR} $<TARGET_FILE:endgame>)
set_tests_properties(matrix_versions PROPERTIES LABELS "slow;matrix" TIMEOUT 600)

# The known findings on this lane's CPython, judged by their expect and
# `# fixed-in:` lines (`endgame known`): 43bb4dc142e2 reproduces before 3.14
# and is fixed from 3.14 on; the NUL crash reproduces on every release build.
# Not in the runtime label: a debug build asserts where a release build crashes.
add_test(NAME known_findings COMMAND $<TARGET_FILE:endgame> known ${PROJECT_SOURCE_DIR}/corpus/known --runs 2)
set_tests_properties(known_findings PROPERTIES LABELS "known" TIMEOUT 300)
