#!/usr/bin/env bash
# Builds the Go client as a user would (modules from the Go proxy, pinned by
# go.mod/go.sum), checks and tests it, and builds the quickstart example as
# WORK_DIR/quickstart, which takes the example's arguments.
# Usage: build.sh WORK_DIR
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: build.sh WORK_DIR" >&2
  exit 2
fi
mkdir -p "$1"
work=$(cd "$1" && pwd)
cd "$(dirname "${BASH_SOURCE[0]}")"

echo "==> go: checking formatting"
unformatted=$(gofmt -l .)
if [ -n "$unformatted" ]; then
  echo "not gofmt-formatted:" >&2
  echo "$unformatted" >&2
  exit 1
fi
echo "==> go: go vet ./..."
go vet ./...
echo "==> go: go test ./..."
go test ./...
echo "==> go: building $work/quickstart"
go build -o "$work/quickstart" ./examples/quickstart
