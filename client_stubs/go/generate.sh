#!/usr/bin/env bash
# Regenerates the committed Go stubs (client_stubs/go/peeker/partner/v1) from
# protos/peeker and copies the service config into the client package.
# Run from the repository root: TOOLS_DIR=/abs/dir bash client_stubs/go/generate.sh
# The google.rpc types come from google.golang.org/genproto/googleapis/rpc,
# so protos/google is not generated.
set -euo pipefail

# The plugins match the runtime versions in go.mod: protoc-gen-go is part of
# google.golang.org/protobuf; protoc-gen-go-grpc v1.6 emits code for grpc-go
# >= 1.64.
readonly protoc_version="libprotoc 3.21.12"
readonly protoc_gen_go_version=v1.36.12
readonly protoc_gen_go_grpc_version=v1.6.2
readonly module=github.com/peeker/partner-gateway/client_stubs/go

: "${TOOLS_DIR:?set TOOLS_DIR to an absolute directory for the generator tools}"
bin="$TOOLS_DIR/go/bin"
out=client_stubs/go

# The generated files name the protoc version, so another one would change them.
if [ "$(protoc --version)" != "$protoc_version" ]; then
  echo "generate.sh: needs protoc \"$protoc_version\" (Debian's protobuf-compiler), found \"$(protoc --version)\"" >&2
  exit 1
fi

# Installs $package@$version into $bin unless that exact version is there.
install_plugin() {
  local package=$1 version=$2 binary="$bin/${1##*/}"
  if [ -x "$binary" ] && go version -m "$binary" | grep -q "^[[:space:]]mod[[:space:]].*[[:space:]]$version[[:space:]]"; then
    return 0
  fi
  echo "generate.sh: installing $package@$version"
  GOBIN="$bin" go install "$package@$version"
}
install_plugin google.golang.org/protobuf/cmd/protoc-gen-go "$protoc_gen_go_version"
install_plugin google.golang.org/grpc/cmd/protoc-gen-go-grpc "$protoc_gen_go_grpc_version"

rm -rf "$out/peeker" "$out/partnerclient/service_config.json"
mapfile -t protos < <(cd protos && find peeker -name '*.proto' | LC_ALL=C sort)
PATH="$bin:$PATH" protoc -I protos \
  --go_out="$out" --go_opt=module="$module" \
  --go-grpc_out="$out" --go-grpc_opt=module="$module" \
  "${protos[@]}"
cp client_stubs/service_config.json "$out/partnerclient/service_config.json"
