#!/usr/bin/env bash
# Builds the Java client the way a user gets it: installs ai.peeker:partner-client into the local
# Maven repository (the stubs are generated during that build), builds the quickstart example
# against the installed artifact, and writes the launcher WORK_DIR/quickstart.
# Usage: build.sh WORK_DIR
# Extra Maven arguments can be given in MVN_ARGS (e.g. -o, or -Dmaven.repo.local=DIR).
set -euo pipefail
if [ $# -ne 1 ]; then
  echo "usage: build.sh WORK_DIR" >&2
  exit 2
fi
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$1"
work=$(cd "$1" && pwd)
# -B -q: no colours or download logs. Maven keeps to one build thread, which suits 2 shared cores.
# TieredStopAtLevel=1: a short build (and javac within it) runs faster on the quick JIT alone.
# jansi.noreset: Debian's Maven 3.8 prints colour resets even in batch mode.
export MAVEN_OPTS="${MAVEN_OPTS:-} -XX:TieredStopAtLevel=1 -Djansi.noreset=true"
read -r -a extra_args <<<"${MVN_ARGS:-}"
mvn=(mvn -B -q "${extra_args[@]}")

echo "==> java: installing ai.peeker:partner-client (generating the stubs from protos/)"
"${mvn[@]}" -f "$here/pom.xml" install

echo "==> java: building the quickstart example"
rm -rf "$work/lib"
"${mvn[@]}" -f "$here/examples/pom.xml" package dependency:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$work/lib"
cp "$here"/examples/target/partner-client-examples-*.jar "$work/lib/"

cat >"$work/quickstart" <<'LAUNCHER'
#!/bin/sh
# Runs the Java quickstart example: quickstart [--gateway HOST:PORT]
exec java -cp "$(dirname "$0")/lib/*" ai.peeker.partner.examples.Quickstart "$@"
LAUNCHER
chmod +x "$work/quickstart"
echo "==> java: wrote $work/quickstart"
