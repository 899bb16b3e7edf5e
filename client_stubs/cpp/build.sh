#!/usr/bin/env bash
# Installs the C++ client from a build of this repository into
# <work-dir>/prefix (`cmake --install --component client`), then builds the
# quickstart example as a project of its own that finds it with
# find_package(PeekerPartnerClient), the way a service would, and leaves it
# at <work-dir>/quickstart.
# Usage: bash client_stubs/cpp/build.sh <work-dir> <build-dir>
set -euo pipefail

if [ $# -ne 2 ]; then
  echo "usage: build.sh <work-dir> <build-dir>" >&2
  exit 2
fi
package_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$1"
work_dir=$(cd "$1" && pwd)
rm -rf "$work_dir/prefix" "$work_dir/example"

echo "==> cmake --install $2 --component client --prefix $work_dir/prefix"
cmake --install "$2" --component client --prefix "$work_dir/prefix"
echo "==> building client_stubs/cpp/examples against it"
cmake -S "$package_dir/examples" -B "$work_dir/example" -G Ninja -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$work_dir/prefix" >"$work_dir/configure.log" || { cat "$work_dir/configure.log"; exit 1; }
cmake --build "$work_dir/example"
ln -sf "$work_dir/example/partner-quickstart" "$work_dir/quickstart"
echo "==> wrote $work_dir/quickstart"
