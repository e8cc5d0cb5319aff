#!/usr/bin/env bash
# Start-up and call numbers of the gVisor and micro-VM sandbox backends (issue 20), printed by
# engine/src/test/.../SandboxStartBench (no assertions). Needs root, runsc and qemu, and the image
# from sandbox/vm/build.sh. Usage: bench/sandbox-vm.sh [gvisor|microvm ...]   (default: both)
set -euo pipefail
cd "$(dirname "$0")/.."
sandbox/vm/build.sh > /dev/null
for which in "${@:-gvisor microvm}"; do
  for w in $which; do
    echo "== $w ($(date -u +%FT%TZ), $(nproc) cores)"
    mvn -q -B -o -pl engine test -Dgrizz.web.skip=true -Dgrizz.web.skip.tests=true \
      -Dtest=SandboxStartBench -Dsurefire.failIfNoSpecifiedTests=false \
      -Dgrizz.sandbox.bench="$w" 2>/dev/null | grep -o 'BENCH.*' || true
  done
done
