# Seeds a corpus from the fixture files and runs the fuzzer for SECONDS.
# -D FUZZER=<binary> FIXTURES=<tests/fixtures/linux> WORK=<scratch dir> SECONDS=<n>
file(REMOVE_RECURSE ${WORK})
file(MAKE_DIRECTORY ${WORK})
# file name -> selector byte of LinuxParsersFuzz.cpp
set(routes "cpuinfo=0" "diskstats=1" "scheduler=2" "loadavg=3" "meminfo=4" "mounts=5" "dev=6"
           "stat=12" "status=9" "statm=10" "cmdline=11" "swaps=13" "uptime=14" "vmstat=15" "pid_max=16")
file(GLOB_RECURSE seeds LIST_DIRECTORIES false ${FIXTURES}/*)
set(n 0)
foreach(seed ${seeds})
  get_filename_component(name ${seed} NAME)
  foreach(route ${routes})
    string(REPLACE "=" ";" pair ${route})
    list(GET pair 0 file)
    list(GET pair 1 byte)
    if(name STREQUAL file)
      # Per-process "stat" is routed to the pid parser, /proc/stat to the system one.
      if(name STREQUAL "stat" AND seed MATCHES "/proc/[0-9]+/stat$")
        set(byte 8)
      endif()
      # The harness takes the selector modulo 20; adding 40 keeps the byte printable.
      math(EXPR printable "${byte} + 40")
      string(ASCII ${printable} prefix)
      file(READ ${seed} body)
      math(EXPR n "${n} + 1")
      file(WRITE ${WORK}/seed-${n} "${prefix}${body}")
    endif()
  endforeach()
endforeach()
if(n EQUAL 0)
  message(FATAL_ERROR "no seed files found under ${FIXTURES}")
endif()
message(STATUS "fuzzing for ${SECONDS} s from ${n} seeds")
execute_process(COMMAND ${FUZZER} -max_total_time=${SECONDS} -rss_limit_mb=2048 -print_final_stats=1 ${WORK}
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "fuzzer found a failure (exit ${rc}); the reproducer is in the current directory")
endif()
