# gateway_generate_protos(TARGET <lib> IMPORT_DIRS <dir>... PROTOS <file>...)
# Generates C++ messages and gRPC services for PROTOS (paths relative to the
# first import dir) into the build tree and compiles them into library TARGET,
# whose GENERATED_DIR property names the directory of the generated headers.
function(gateway_generate_protos)
  cmake_parse_arguments(ARG "" "TARGET" "IMPORT_DIRS;PROTOS" ${ARGN})
  set(out_dir "${CMAKE_CURRENT_BINARY_DIR}/gen")
  list(GET ARG_IMPORT_DIRS 0 root)
  set(include_flags "")
  foreach(dir IN LISTS ARG_IMPORT_DIRS)
    list(APPEND include_flags "-I${dir}")
  endforeach()
  set(sources "")
  foreach(proto IN LISTS ARG_PROTOS)
    string(REGEX REPLACE "\\.proto$" "" stem "${proto}")
    set(generated
      "${out_dir}/${stem}.pb.cc" "${out_dir}/${stem}.pb.h"
      "${out_dir}/${stem}.grpc.pb.cc" "${out_dir}/${stem}.grpc.pb.h")
    add_custom_command(
      OUTPUT ${generated}
      COMMAND ${CMAKE_COMMAND} -E make_directory "${out_dir}"
      COMMAND protobuf::protoc ${include_flags}
              "--cpp_out=${out_dir}" "--grpc_out=${out_dir}"
              "--plugin=protoc-gen-grpc=${GATEWAY_GRPC_CPP_PLUGIN}"
              "${root}/${proto}"
      DEPENDS "${root}/${proto}" protobuf::protoc
      COMMENT "Generating C++ for ${proto}"
      VERBATIM)
    list(APPEND sources ${generated})
  endforeach()
  add_library(${ARG_TARGET} ${sources})
  target_include_directories(${ARG_TARGET} SYSTEM PUBLIC "$<BUILD_INTERFACE:${out_dir}>")
  target_link_libraries(${ARG_TARGET} PUBLIC protobuf::libprotobuf gRPC::grpc++)
  set_target_properties(${ARG_TARGET} PROPERTIES GENERATED_DIR "${out_dir}")
endfunction()
