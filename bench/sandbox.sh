#!/usr/bin/env bash
# Costs of the code_interpreter sandbox (issue 20), bubblewrap backend: session cold start, first and
# warm print(1), import pandas, memory per idle session, a numeric loop's CPU time inside the sandbox
# against bare /usr/bin/python3. Runs engine/src/test/java/dev/grizz/engine/sandbox/SandboxBench.
# Usage: bench/sandbox.sh [runs] [idle-sessions]   (default 10 and 10)
# Needs: JDK 25 (JAVA_HOME), bubblewrap, python3-seccomp, python3-pandas (see .ci/run).
set -euo pipefail
cd "$(dirname "$0")/.."
java="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}/bin/java"
mvn -q -B -o -pl engine test-compile -Dgrizz.web.skip=true
cp=$(mktemp /tmp/grizz-bench-sandbox.XXXXXX)
trap 'rm -f "$cp"' EXIT
mvn -q -B -o -pl engine dependency:build-classpath -Dmdep.outputFile="$cp" > /dev/null
echo "$(nproc) cores; $(date -u +%FT%TZ); $(bwrap --version); load: $(uptime | sed 's/.*load average/load average/')"
"$java" -cp "engine/target/test-classes:engine/target/classes:$(cat "$cp")" \
  dev.grizz.engine.sandbox.SandboxBench "${1:-10}" "${2:-10}"
