#!/usr/bin/env bash
# Cold start of a shipped function (issue 11): ArchiveHandler's zip from scripts/package.sh, its
# bootstrap loading the libraries bundled in lib/ against the same bootstrap loading the system's
# (the zip without lib/: the run path finds nothing there), interleaved rounds of the shared rig's
# run.sh (../shared/bench/lambda-runtime). The rig's events do not decode as archive requests, so
# every invocation answers InvalidEvent: the rig then calls the run FAILED, so the script reads the
# cold starts' init times (exec -> first /next) from its raw files. Results in BENCHMARKS.md.
#   bench/lambda-runtime/cold-start.sh [--rounds R]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
rig_source=${GAS_BENCH_RIG:-$root/../shared/bench/lambda-runtime}
work=${GAS_BENCH_WORK:-$(mktemp -d)}
rounds=5
[ "${1:-}" != --rounds ] || rounds=$2

rm -rf "$work/rig" && cp -r "$rig_source" "$work/rig" && chmod -R u+w "$work/rig"
(cd "$work/rig/emu" && cargo build --release --offline -q)
scripts/package.sh ArchiveHandler
rm -rf "$work/bundled" "$work/system"
unzip -q .build/lambda/ArchiveHandler.zip -d "$work/bundled"
mkdir -p "$work/system" && cp "$work/bundled/bootstrap" "$work/system/"
settings=(env ANNOTATIONS_TABLE=gas-annotations USERS_TABLE=gas-users RESULTS_BUCKET=gas-results AWS_REGION=us-east-1
  AWS_ACCESS_KEY_ID=AK AWS_SECRET_ACCESS_KEY=SK AWS_ENDPOINT_URL=http://127.0.0.1:9)
for round in $(seq "$rounds"); do
  for variant in bundled system; do
    "$work/rig/run.sh" --quick --expect any --name "$variant" --binary "$work/$variant/bootstrap" \
      --out "$work/out/$variant/r$round" "${settings[*]} $work/$variant/bootstrap" > /dev/null 2>&1 || true
  done
done
python3 - "$work/out" <<'PY'
import glob, json, statistics, sys
for variant in ("bundled", "system"):
    runs = [json.load(open(p)) for p in glob.glob(f"{sys.argv[1]}/{variant}/r*/raw/cold-*.json")]
    inits = sorted(r["init_ms"] for r in runs if r.get("init_ms") is not None)
    rss = statistics.median(r["peak_rss_kib"] for r in runs) / 1024
    print(f"{variant}: init median {statistics.median(inits):.2f} ms (min {inits[0]:.2f}, max {inits[-1]:.2f}, n={len(inits)}), "
          f"first invocation {statistics.median(r['first_invoke_us'] for r in runs) / 1000:.2f} ms, peak RSS {rss:.1f} MiB")
PY
echo "zip: $(stat -c %s .build/lambda/ArchiveHandler.zip) bytes; unzipped: $(du -sb "$work/bundled" | cut -f1) bytes"
