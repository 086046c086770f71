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
# Deployable artifacts: the state machine passes statelint; every function packages with its
# libraries bundled, loads in a chroot of AL2023's base libraries and runs the lifecycle there; the
# load checks refuse a binary that needs a newer glibc or a foreign library, and a zip missing one.
.venv/bin/statelint statemachines/archive.asl.json
scripts/check-template.sh
scripts/package.sh --prove
bad=$(mktemp -d)
printf '#include <crypt.h>\n#include <math.h>\n#include <stdio.h>\nint main(int c, char **v) { printf("%%f %%s", hypotf(c, 2), crypt(v[0], "ab")); return 0; }\n' > "$bad/bad.c"
cc -O2 -o "$bad/bad" "$bad/bad.c" -lm -lcrypt
if scripts/package.sh --check "$bad/bad" 2> "$bad/why"; then
  echo "test: package.sh accepted a binary that cannot load on provided.al2023" >&2
  exit 1
fi
grep -q 'GLIBC_2.35' "$bad/why" && grep -q 'libcrypt' "$bad/why" || { cat "$bad/why" >&2; echo "test: package.sh did not name both problems" >&2; exit 1; }
cp .build/lambda/NotifyHandler.zip "$bad/"
zip -q -d "$bad/NotifyHandler.zip" lib/libnghttp2.so.14
if scripts/lambda-chroot.sh --check-loads "$bad/NotifyHandler.zip" 2> "$bad/why"; then
  echo "test: lambda-chroot.sh accepted a zip without one of its libraries" >&2
  exit 1
fi
grep -q 'libnghttp2.so.14 => not found' "$bad/why" || { cat "$bad/why" >&2; echo "test: lambda-chroot.sh did not name the missing library" >&2; exit 1; }
rm -rf "$bad"
# Gene overlap over the variant span against bedtools, on real GENCODE gene models (100k variants).
scripts/check-gene-overlap.sh
# Real VCFs shipped by Debian's bioinformatics packages: annotated whole, or refused with the reason.
scripts/check-real-vcfs.sh
swift test --skip-build "$@"
# The AWS CLI against `gas-local up`, then the browser test: the whole lifecycle in headless
# Chromium on `gas-local up`, on both cold stores (both skipped when the arguments select tests).
if [ $# -eq 0 ]; then
  .venv-checks/bin/python Tests/CLI/aws_cli_test.py --binaries "$(swift build --show-bin-path)"
  for store in s3-glacier glacier-vault; do
    .venv-web/bin/python Tests/Browser/user_journey.py --binaries "$(swift build --show-bin-path)" --cold-store "$store"
  done
fi
