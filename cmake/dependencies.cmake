# Every third-party dependency comes from Debian's packages (see .ci/run for the list).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(gRPC CONFIG REQUIRED)
find_package(CURL REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
pkg_check_modules(HIREDIS REQUIRED IMPORTED_TARGET hiredis)

find_program(GATEWAY_GRPC_CPP_PLUGIN grpc_cpp_plugin REQUIRED)

if(GATEWAY_BUILD_TESTS)
  find_package(GTest REQUIRED)
  # grpc/health/v1/health.proto and grpc/reflection/v1alpha/reflection.proto,
  # for tests that call those services (Debian: grpc-proto).
  find_path(GATEWAY_GRPC_PROTO_DIR grpc/health/v1/health.proto PATHS /usr/share/grpc-proto REQUIRED)
  # The Redis event log's tests start their own server (Debian: redis-server).
  find_program(GATEWAY_REDIS_SERVER redis-server REQUIRED)
endif()
