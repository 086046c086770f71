#!/usr/bin/env bash
# GAS's main job on the embedded default: starts moto on a free loopback port, points the AWS
# client layer at it through the standard AWS_* variables, and runs the demonstration.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
scripts/setup.sh
swift build --product aws-demo

log=$(mktemp)
.venv/bin/python scripts/moto_server.py --parent-pid $$ > "$log" 2>/dev/null &
moto_pid=$!
trap 'kill "$moto_pid" 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 100); do
  grep -q "listening" "$log" && break
  kill -0 "$moto_pid" 2>/dev/null || { echo "run: moto did not start" >&2; exit 1; }
  sleep 0.1
done
endpoint=$(sed -n 's/^moto listening on //p' "$log")
[ -n "$endpoint" ] || { echo "run: moto did not report its port" >&2; exit 1; }
echo "run: moto (pid $moto_pid) at $endpoint"

export AWS_ENDPOINT_URL="$endpoint" AWS_REGION="${AWS_REGION:-us-east-1}"
export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
"$(swift build --show-bin-path)/aws-demo" "$@"
