# gateway_warnings: the warning set every target of ours links PRIVATE.
add_library(gateway_warnings INTERFACE)
target_compile_options(gateway_warnings INTERFACE -Wall -Wextra -Wshadow -Wconversion -Wno-sign-conversion)
if(PROJECT_IS_TOP_LEVEL)
  target_compile_options(gateway_warnings INTERFACE -Werror)
endif()
