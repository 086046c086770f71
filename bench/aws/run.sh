#!/usr/bin/env bash
# AWS client layer benchmarks, each beside its reference in the same run (see BENCHMARKS.md):
#   tree hash vs `openssl speed -evp sha256` (one core), signing and sequential request rate vs
#   boto3 against the same minimal local HTTP server, and peak RSS streaming through moto's S3.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scripts/setup.sh
swift build -c release --product aws-bench
bench=$(swift build -c release --show-bin-path)/aws-bench
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

echo "== tree hash (1 GiB in memory) vs openssl speed, one core"
taskset -c 0 "$bench" treehash 1024
taskset -c 0 openssl speed -evp sha256 -bytes 1048576 -seconds 3 2>/dev/null | tail -1 |
  awk '{printf "openssl sha256_MiB_per_s %.1f\n", $2 * 1000 / 1048576}'

echo "== signing and sequential GetItem against a minimal local server"
cc -O2 -pthread -o "$work/echo_server" bench/aws/echo_server.c
"$work/echo_server" > "$work/port" &
pids+=($!)
for _ in $(seq 1 50); do [ -s "$work/port" ] && break; sleep 0.1; done
url="http://127.0.0.1:$(cat "$work/port")"
"$bench" sign 200000
"$bench" requests "$url" 5000
.venv/bin/python bench/aws/boto3_bench.py "$url" 5000

echo "== streaming 256 MiB up and down through moto's S3"
.venv/bin/python scripts/moto_server.py --parent-pid $$ > "$work/moto" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 100); do grep -q listening "$work/moto" 2>/dev/null && break; sleep 0.1; done
AWS_ENDPOINT_URL=$(sed -n 's/^moto listening on //p' "$work/moto") AWS_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "$bench" stream 256
