#!/usr/bin/env bash
# Runs every test: installs what is missing, builds with the import-arrow check, runs swift test.
# The tests start and stop their own moto server (scripts/moto_server.py) on a free loopback port.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
swift build --build-tests --explicit-target-dependency-import-check error
swift test --skip-build "$@"
