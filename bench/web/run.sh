#!/usr/bin/env bash
# Web front benchmark (issue 9): the job list and details pages under wrk (50 connections, 30 s)
# for gas-web (release) and a minimal Flask + boto3 reference (bench/web/flask_reference.py,
# gunicorn, 2 workers x 8 threads) doing the same DynamoDB calls, first against the same moto of
# `gas-local up`, then against a C stub that answers those calls from memory (bench/aws/echo_server.c with a directory),
# so the fronts' own cost shows. Results in BENCHMARKS.md.
#   bench/web/run.sh [--duration 30s] [--connections 50] [--jobs 30] [--pages-only | --cold-start-only]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
duration=30s connections=50 jobs=30 pages=1 cold=1
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    --pages-only) cold=0; shift ;;
    --cold-start-only) pages=0; shift ;;
    *) echo "usage: $0 [--duration 30s] [--connections 50] [--jobs 30] [--pages-only | --cold-start-only]" >&2; exit 2 ;;
  esac
done
command -v wrk >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends wrk; }
[ -x .venv-bench/bin/gunicorn ] || { python3 -m venv .venv-bench && .venv-bench/bin/pip install -q -r bench/web/requirements.txt; }
scripts/setup.sh >/dev/null
swift build >/dev/null
swift build -c release --product gas-web >/dev/null
work=$(mktemp -d)
cc -O2 -pthread -o "$work/stub" bench/aws/echo_server.c

pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_up() { for _ in $(seq 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.1; done; echo "bench: $1 never answered" >&2; exit 1; }

: > "$work/stack.log"
"$(swift build --show-bin-path)/gas-local" up --retention 3600 > "$work/stack.log" 2>&1 &
pids+=($!)
for _ in $(seq 600); do grep -q '^gas-local: up;' "$work/stack.log" && break; sleep 0.2; done
web=$(sed -n 's/^gas-local: web front //p' "$work/stack.log")
idp=$(sed -n 's/^gas-local: identity provider //p' "$work/stack.log")
tr '\0' '\n' < "/proc/$(pgrep -f "$(swift build --show-bin-path)/gas-web" | head -1)/environ" > "$work/web.env"
prepared=$(.venv-bench/bin/python bench/web/prepare.py "$web" "$idp" "$work/web.env" "$work/stub-answers" "$jobs")
cookie=$(echo "$prepared" | python3 -c 'import json,sys; print(json.load(sys.stdin)["cookie"])')
job=$(echo "$prepared" | python3 -c 'import json,sys; print(json.load(sys.stdin)["job"])')

"$work/stub" "$work/stub-answers" > "$work/stub.port" &
pids+=($!)
sleep 0.3
stub="http://127.0.0.1:$(cat "$work/stub.port")"

# Starts gas-web (release) and the reference against the AWS endpoint $1; sets swift_url and flask_url.
start_fronts() {
  local endpoint=$1 swift_port flask_port
  swift_port=$(free_port) flask_port=$(free_port)
  local swift_env flask_env
  mapfile -t swift_env < <(grep -v -e '^OIDC_CLIENT_SECRET_ARN=' -e '^PORT=' -e '^LOG_LEVEL=' -e '^AWS_ENDPOINT_URL=' "$work/web.env")
  mapfile -t flask_env < <(grep -v '^AWS_ENDPOINT_URL=' "$work/web.env")
  env -i "${swift_env[@]}" OIDC_CLIENT_SECRET=bench PORT="$swift_port" LOG_LEVEL=notice AWS_ENDPOINT_URL="$endpoint" \
    "$(swift build -c release --show-bin-path)/gas-web" > "$work/gas-web-$swift_port.log" 2>&1 &
  pids+=($!)
  (cd bench/web && env -i "${flask_env[@]}" AWS_ENDPOINT_URL="$endpoint" \
    "$root/.venv-bench/bin/gunicorn" -w 2 -k gthread --threads 8 -b "127.0.0.1:$flask_port" flask_reference:app > "$work/flask-$flask_port.log" 2>&1) &
  pids+=($!)
  swift_url="http://127.0.0.1:$swift_port" flask_url="http://127.0.0.1:$flask_port"
  wait_up "$swift_url/healthz"
  wait_up "$flask_url/annotations"
}

measure() { # label url
  local out
  curl -sf -o /dev/null -H "Cookie: gas_session=$cookie" "$2" || { echo "bench: $2 does not answer 200" >&2; exit 1; }
  out=$(wrk -t2 -c"$connections" -d"$duration" --timeout 10s --latency -H "Cookie: gas_session=$cookie" "$2")
  python3 - "$1" "$out" <<'PY'
import re, sys
label, out = sys.argv[1], sys.argv[2]
rate = re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)
def latency(p):
    m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)", out, re.M)
    return float(m.group(1)) * {"us": 0.001, "ms": 1, "s": 1000}[m.group(2)]
errors = sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
non2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
errors += int(non2xx.group(1)) if non2xx else 0
print(f"| {label} | {float(rate):,.0f} | {latency(50):.2f} | {latency(99):.2f} | {errors} |")
PY
}

if [ "$pages" = 1 ]; then
echo "| page, front, AWS behind it | requests/s | p50 ms | p99 ms | errors |"
echo "|---|---:|---:|---:|---:|"
start_fronts "$(grep '^AWS_ENDPOINT_URL=' "$work/web.env" | cut -d= -f2-)"
for page in "job list:/annotations" "details:/annotations/$job"; do
  measure "${page%%:*}, gas-web, moto" "$swift_url${page#*:}"
  measure "${page%%:*}, Flask + boto3, moto" "$flask_url${page#*:}"
done
start_fronts "$stub"
for page in "job list:/annotations" "details:/annotations/$job"; do
  measure "${page%%:*}, gas-web, stub" "$swift_url${page#*:}"
  measure "${page%%:*}, Flask + boto3, stub" "$flask_url${page#*:}"
done
fi
[ "$cold" = 1 ] || exit 0

# WebHandler cold start: the packaged bootstrap (what the zip holds) against the stub, first on
# the Runtime API rig (exec -> first /next, scheduled-event path), then with a first HTTP API event.
scripts/package.sh WebHandler >/dev/null
mkdir -p "$work/zip" && unzip -q -o .build/lambda/WebHandler.zip -d "$work/zip"
mapfile -t lambda_env < <(grep -v -e '^OIDC_CLIENT_SECRET_ARN=' -e '^AWS_ENDPOINT_URL=' -e '^PORT=' "$work/web.env")
printf '%s\n' "${lambda_env[@]}" OIDC_CLIENT_SECRET=bench "AWS_ENDPOINT_URL=$stub" > "$work/lambda.env"
python3 - "$cookie" "$job" "$work/event.json" <<'PY'
import json, sys
cookie, job, path = sys.argv[1:]
event = {"version": "2.0", "routeKey": "$default", "rawPath": f"/annotations/{job}", "rawQueryString": "",
         "cookies": [f"gas_session={cookie}"], "headers": {"host": "gas.example.org", "user-agent": "bench"},
         "requestContext": {"requestId": "r1", "stage": "$default", "domainName": "gas.example.org",
                            "http": {"method": "GET", "path": f"/annotations/{job}", "protocol": "HTTP/1.1", "sourceIp": "192.0.2.1"}},
         "isBase64Encoded": False}
json.dump(event, open(path, "w"))
PY
rig_source=${GAS_BENCH_RIG:-$root/../shared/bench/lambda-runtime}
rm -rf "$work/rig" && cp -r "$rig_source" "$work/rig" && chmod -R u+w "$work/rig"
(cd "$work/rig/emu" && cargo build --release --offline -q)
echo
echo "WebHandler: zip $(stat -c %s .build/lambda/WebHandler.zip) bytes, stripped bootstrap $(stat -c %s "$work/zip/bootstrap") bytes"
env "${lambda_env[@]}" OIDC_CLIENT_SECRET=bench AWS_ENDPOINT_URL="$stub" "$work/rig/run.sh" --quick --expect any --name WebHandler --binary "$work/zip/bootstrap" --out "$work/rig-out" "$work/zip/bootstrap" | tail -1
python3 bench/web/cold_start.py "$work/zip/bootstrap" "$work/lambda.env" "$work/event.json" 20
