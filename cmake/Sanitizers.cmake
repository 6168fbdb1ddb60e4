# SEXTANT_SANITIZE=ON instruments everything with ASan and UBSan (the "debug-asan" preset).
if(SEXTANT_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()
