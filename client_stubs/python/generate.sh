#!/usr/bin/env bash
# Regenerates the committed Python code of the peeker.partner.v1 protos
# (messages, .pyi stubs, gRPC stubs and their .pyi) under src/, and copies the
# shared service config into the client package.
# Run from the repository root: TOOLS_DIR=/abs/path bash client_stubs/python/generate.sh
set -euo pipefail

: "${TOOLS_DIR:?set TOOLS_DIR to an absolute directory for the generator tools}"
package_dir=client_stubs/python/src
generated_dir=$package_dir/peeker/partner/v1

# The generator pins. grpcio-tools fixes protoc (and so the protobuf gencode
# version written into *_pb2.py) and GRPC_GENERATED_VERSION in *_pb2_grpc.py:
# keep it in step with the grpcio and protobuf pins in pyproject.toml.
tool_pins=(
  grpcio-tools==1.80.1
  grpcio==1.80.1
  protobuf==6.33.6
  mypy-protobuf==5.1.0
)

venv=$TOOLS_DIR/python
stamp=$venv/peeker-generate-pins
if [ "$(cat "$stamp" 2>/dev/null)" != "${tool_pins[*]}" ]; then
  echo "==> installing ${tool_pins[*]} into $venv"
  rm -rf "$venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "${tool_pins[@]}"
  echo "${tool_pins[*]}" > "$stamp"
fi

rm -f "$generated_dir"/*_pb2.py "$generated_dir"/*_pb2.pyi "$generated_dir"/*_pb2_grpc.py "$generated_dir"/*_pb2_grpc.pyi
# Relative proto paths keep absolute paths out of the output; google/rpc comes
# from googleapis-common-protos and google/protobuf from protobuf, so only the
# partner protos are generated.
mapfile -t protos < <(cd protos && LC_ALL=C ls peeker/partner/v1/*.proto)
(cd protos && "$venv/bin/python" -m grpc_tools.protoc -I. \
  --plugin=protoc-gen-mypy_grpc="$venv/bin/protoc-gen-mypy_grpc" \
  --python_out="../$package_dir" --pyi_out="../$package_dir" \
  --grpc_python_out="../$package_dir" --mypy_grpc_out=quiet:"../$package_dir" \
  "${protos[@]}")

cp client_stubs/service_config.json "$package_dir/peeker/partner/client/service_config.json"
echo "==> generated $(ls "$generated_dir" | grep -c '_pb2') files in $generated_dir"
