#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with the import-arrow check, runs swift test.
# The tests start and stop their own moto server (scripts/moto_server.py) on a free loopback port.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
swift build --build-tests --explicit-target-dependency-import-check error
scripts/check-lambda-links.sh --products
# Negative control: the test bundle links full Foundation, so the check must refuse it.
if scripts/check-lambda-links.sh "$(swift build --show-bin-path)/GASPackageTests.xctest" 2>/dev/null; then
  echo "test: check-lambda-links.sh failed to flag a binary that links Foundation" >&2
  exit 1
fi
swift test --skip-build "$@"
