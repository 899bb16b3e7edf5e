#!/usr/bin/env bash
# Installs the package into a fresh virtualenv the way a user would (from
# this directory, dependencies from the package index) and leaves the
# quickstart launcher at <work-dir>/quickstart.
# Usage: bash client_stubs/python/build.sh <work-dir>
set -euo pipefail

work_dir=${1:?usage: build.sh <work-dir>}
package_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$work_dir"
work_dir=$(cd "$work_dir" && pwd)

echo "==> creating $work_dir/venv"
rm -rf "$work_dir/venv"
python3 -m venv "$work_dir/venv"

echo "==> installing $package_dir"
"$work_dir/venv/bin/pip" install --quiet --disable-pip-version-check "$package_dir"

echo "==> writing $work_dir/quickstart"
cp "$package_dir/examples/quickstart.py" "$work_dir/quickstart.py"
cat > "$work_dir/quickstart" <<LAUNCHER
#!/bin/sh
exec "$work_dir/venv/bin/python" "$work_dir/quickstart.py" "\$@"
LAUNCHER
chmod +x "$work_dir/quickstart"
