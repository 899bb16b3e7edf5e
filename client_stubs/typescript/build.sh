#!/usr/bin/env bash
# Installs the package's pinned dependencies from the npm registry, compiles
# the package and the quickstart example, and writes <work-dir>/quickstart,
# which runs the example with the arguments it is given.
# Usage: bash client_stubs/typescript/build.sh <work-dir>
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: build.sh <work-dir>" >&2
  exit 2
fi
package_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
work_dir=$(cd "$1" && pwd)

echo "==> npm ci (client_stubs/typescript)"
# No dependency needs an install script (protobufjs's only checks its CLI).
npm ci --prefix "$package_dir" --ignore-scripts --no-audit --no-fund --loglevel=error
echo "==> npm run build: the package to dist/, the example to examples/dist/"
npm run --prefix "$package_dir" --silent build

cat >"$work_dir/quickstart" <<EOF
#!/bin/sh
exec node "$package_dir/examples/dist/quickstart.js" "\$@"
EOF
chmod +x "$work_dir/quickstart"
echo "==> wrote $work_dir/quickstart"
