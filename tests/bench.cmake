# Benchmarks and the comparison report (bench/, cli/cmd_compare.cc, bench/compare_plan.cc,
# scripts/plots/). Behaviour, not timings: names, context and counters of the
# benchmark JSON; a report whose sections, PNGs and tables hold. The report
# needs a python3 with matplotlib (Debian's python3-matplotlib); tests that
# need it exit 77 (skipped) without it.
set(ENDGAME_REPORT_PYTHON "/usr/bin/python3" CACHE FILEPATH "python3 with matplotlib, for the comparison report")

add_test(NAME bench_report_synthetic
  COMMAND ${ENDGAME_REPORT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/bench_report_test.py --python ${ENDGAME_REPORT_PYTHON})
set_tests_properties(bench_report_synthetic PROPERTIES LABELS bench SKIP_RETURN_CODE 77 TIMEOUT 300)

if(TARGET endgame_bench)
  # endgame_bench briefly: registered names, context, aggregates, counters, SkipWithError.
  add_test(NAME bench_json
    COMMAND ${ENDGAME_REPORT_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/tools/check_bench_json.py
      --bench $<TARGET_FILE:endgame_bench> --version ${ENDGAME_PYTHON_VERSION}
      --work ${CMAKE_CURRENT_BINARY_DIR}/bench_json)
  set_tests_properties(bench_json PROPERTIES LABELS "bench;runtime" TIMEOUT 300)

  # `endgame compare` end to end, small: a short campaign, few repetitions,
  # then the report and docs page checked against the raw JSON.
  set(_cmp ${CMAKE_CURRENT_BINARY_DIR}/compare_report)
  add_test(NAME compare_report
    COMMAND /bin/sh -c
      "'${ENDGAME_REPORT_PYTHON}' -c 'import matplotlib' || exit 77; \
rm -rf '${_cmp}' && '$<TARGET_FILE:endgame>' compare --minutes 0.25 --reps 4 --cycles 20 \
--stability-runs 2 --out '${_cmp}' --bench '$<TARGET_FILE:endgame_bench>' --python '${ENDGAME_REPORT_PYTHON}' \
--docs '${_cmp}/results.md' && '${ENDGAME_REPORT_PYTHON}' '${CMAKE_CURRENT_SOURCE_DIR}/tools/check_report.py' \
--report '${_cmp}' --docs '${_cmp}/results.md' --expect-campaign")
  set_tests_properties(compare_report PROPERTIES LABELS "bench;runtime" TIMEOUT 400 RUN_SERIAL TRUE
    SKIP_RETURN_CODE 77)
endif()
