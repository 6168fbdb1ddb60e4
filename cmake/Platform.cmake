# Picks the OS backend: one folder under backends/ per OS, each providing the
# sextant_backend library with makePlatformAgents(). Override with -DSEXTANT_BACKEND=<name>.
if(NOT SEXTANT_BACKEND)
  if(CMAKE_SYSTEM_NAME STREQUAL "Linux")
    set(SEXTANT_BACKEND linux)
  else()
    message(FATAL_ERROR "No Sextant backend for ${CMAKE_SYSTEM_NAME} yet; set -DSEXTANT_BACKEND=<folder under backends/>")
  endif()
endif()
if(NOT EXISTS ${CMAKE_SOURCE_DIR}/backends/${SEXTANT_BACKEND}/CMakeLists.txt)
  message(FATAL_ERROR "SEXTANT_BACKEND=${SEXTANT_BACKEND}: no such folder backends/${SEXTANT_BACKEND}")
endif()
message(STATUS "Sextant backend: ${SEXTANT_BACKEND}")
