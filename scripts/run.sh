#!/usr/bin/env bash
# GAS's main job on the embedded default: all of GAS on this machine (moto, the stack from
# template.yaml, every function on the local Lambda host) driving one free user's job through its
# whole lifecycle. Arguments go to gas-local, e.g. `scripts/run.sh demo --cold-store glacier-vault`
# or `scripts/run.sh up` to keep the stack running until Ctrl-C.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
swift build --quiet
[ $# -gt 0 ] || set -- demo
exec "$(swift build --show-bin-path)/gas-local" "$@"
