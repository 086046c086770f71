#!/usr/bin/env bash
# LambdaRuntime benchmark: EchoLambda built as it is shipped (release, static Swift stdlib,
# non-PIE) against the rig's C control loop, interleaved in one compare.sh run of the shared
# rig (../shared/bench/lambda-runtime). Results in BENCHMARKS.md.
#   bench/lambda-runtime/run.sh [--rounds R] [--quick]
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
rig_source=${GAS_BENCH_RIG:-$root/../shared/bench/lambda-runtime}
work=${GAS_BENCH_WORK:-$(mktemp -d)}
rounds=3 extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) rounds=$2; shift 2 ;;
    --quick) extra+=(--quick); shift ;;
    *) echo "usage: $0 [--rounds R] [--quick]" >&2; exit 2 ;;
  esac
done

rm -rf "$work/rig" && cp -r "$rig_source" "$work/rig" && chmod -R u+w "$work/rig"
(cd "$work/rig/emu" && cargo build --release --offline -q)
mkdir -p "$work/rig/build" && cc -O2 -o "$work/rig/build/minimal-loop" "$work/rig/baseline/minimal-loop.c"
swift build -c release --product EchoLambda -Xswiftc -static-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie
echo_bin=$(swift build -c release --show-bin-path)/EchoLambda
cat > "$work/spec" <<SPEC
c-loop | $work/rig/build/minimal-loop | $work/rig/build/minimal-loop
gas    | $echo_bin | $echo_bin
SPEC
"$work/rig/compare.sh" --rounds "$rounds" "${extra[@]}" --out "$work/out" "$work/spec"
cat "$work/out/summary.md"
