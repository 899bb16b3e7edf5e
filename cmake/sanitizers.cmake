# gateway_sanitizers: ASan + UBSan when GATEWAY_SANITIZE is on, nothing otherwise.
add_library(gateway_sanitizers INTERFACE)
if(GATEWAY_SANITIZE)
  set(_gateway_san -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  target_compile_options(gateway_sanitizers INTERFACE ${_gateway_san})
  target_link_options(gateway_sanitizers INTERFACE ${_gateway_san})
endif()
