# Warnings for every Sextant target: sextant_warnings(<target>).
function(sextant_warnings target)
  if(MSVC)
    target_compile_options(${target} PRIVATE /W4)
  else()
    target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
      # GCC 12 at -O2 and above reports "may be used uninitialized" inside the storage of
      # std::variant<..., std::string> (our Value and Expected) where no path leaves it so.
      target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
      # GCC 12 also reports -Wrestrict overlaps inside std::string's operator+ with a
      # string literal on the left (a known false positive of that release).
      target_compile_options(${target} PRIVATE -Wno-restrict)
    endif()
  endif()
endfunction()
