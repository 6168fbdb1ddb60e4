# Copies a committed seed corpus to a scratch directory and runs the fuzzer for SECONDS.
# -D FUZZER=<binary> SEEDS=<corpus dir in the source tree> WORK=<scratch dir> SECONDS=<n>
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
file(GLOB seeds LIST_DIRECTORIES false ${SEEDS}/*)
list(LENGTH seeds n)
if(n EQUAL 0)
  message(FATAL_ERROR "no seed files found under ${SEEDS}")
endif()
file(COPY ${seeds} DESTINATION ${WORK})
message(STATUS "fuzzing for ${SECONDS} s from ${n} seeds")
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -rss_limit_mb=2048 -print_final_stats=1 ${WORK}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer found a failure (exit ${rc}); the reproducer is in the current directory")
endif()
