#!/usr/bin/env bash
# Regenerates the committed TypeScript code under client_stubs/typescript/src/gen
# from protos/ with protoc and the ts-proto plugin pinned by tools/package-lock.json,
# and copies client_stubs/service_config.json into the package.
# Run from the repository root: TOOLS_DIR=/abs/path bash client_stubs/typescript/generate.sh
set -euo pipefail

: "${TOOLS_DIR:?set TOOLS_DIR to an absolute directory for the pinned generator}"
package_dir=client_stubs/typescript
tools_dir="$TOOLS_DIR/typescript"

# npm ci wipes and reinstalls node_modules, so run it only when the lock file
# differs from the one the installed tools came from.
mkdir -p "$tools_dir"
if ! cmp -s "$package_dir/tools/package-lock.json" "$tools_dir/package-lock.json" ||
  [ ! -x "$tools_dir/node_modules/.bin/protoc-gen-ts_proto" ]; then
  echo "installing the pinned ts-proto into $tools_dir"
  cp "$package_dir/tools/package.json" "$package_dir/tools/package-lock.json" "$tools_dir/"
  npm ci --prefix "$tools_dir" --ignore-scripts --no-audit --no-fund --loglevel=error
fi

out_dir="$package_dir/src/gen"
rm -rf "$out_dir"
mkdir -p "$out_dir"
# Sorted relative paths keep the output independent of the checkout's location
# and of the file system's listing order.
mapfile -t protos < <(cd protos && find . -name '*.proto' -printf '%P\n' | LC_ALL=C sort)
# useOptionals=messages: sub-messages are optional (presence matters), scalars
# are always set in decoded messages; build requests with X.fromPartial({...}).
# exportCommonSymbols=false lets src/index.ts re-export every file without
# clashing helper names.
protoc -I protos \
  --plugin=protoc-gen-ts_proto="$tools_dir/node_modules/.bin/protoc-gen-ts_proto" \
  --ts_proto_out="$out_dir" \
  --ts_proto_opt=outputServices=grpc-js,env=node,esModuleInterop=true,useOptionals=messages,exportCommonSymbols=false \
  "${protos[@]}"

cp client_stubs/service_config.json "$package_dir/service_config.json"
