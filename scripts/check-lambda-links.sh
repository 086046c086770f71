#!/usr/bin/env bash
# Fails when a Lambda executable links full Foundation or ICU: handlers must import
# FoundationEssentials only (small binaries, fast cold start, no ICU data).
#   scripts/check-lambda-links.sh BINARY...          check these binaries
#   scripts/check-lambda-links.sh --products         check every Lambda product of the debug build
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
# Every executable that runs as a Lambda function.
lambda_products=(EchoLambda AnnotateHandler ArchiveHandler ThawHandler RestoreHandler NotifyHandler ReconcileHandler WebHandler)
forbidden='lib(Foundation|FoundationNetworking|FoundationXML|FoundationInternationalization|_FoundationICU|icu[a-z]*)\.so'

if [ "${1:-}" = "--products" ]; then
  bin=$(cd "$root" && swift build --show-bin-path)
  set -- "${lambda_products[@]/#/$bin/}"
fi
[ $# -gt 0 ] || { echo "usage: $0 --products | BINARY..." >&2; exit 2; }
status=0
for binary in "$@"; do
  [ -f "$binary" ] || { echo "check-lambda-links: $binary does not exist (build it first)" >&2; status=1; continue; }
  bad=$(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p' | grep -E "$forbidden" || true)
  if [ -n "$bad" ]; then
    echo "check-lambda-links: $(basename "$binary") links $(echo "$bad" | tr '\n' ' ')- import FoundationEssentials, not Foundation" >&2
    status=1
  else
    echo "check-lambda-links: $(basename "$binary") links no full Foundation or ICU"
  fi
done
exit $status
