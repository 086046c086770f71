#!/usr/bin/env bash
# Builds one zip per Lambda function for provided.al2023: release build with the static Swift
# standard library, non-PIE, stripped, `bootstrap` (0755) at the zip root, same bytes for the same
# input. Before zipping it proves each binary will load on Amazon Linux 2023:
#   - no glibc symbol version above GLIBC_2.34, no libstdc++ version above GLIBCXX_3.4.29 (GCC 11);
#   - every NEEDED library is one the AL2023 base image provides.
#
#   scripts/package.sh [--arch x86_64|arm64] [--out DIR] [PRODUCT...]    build, check, zip
#   scripts/package.sh --check BINARY...                                  only check binaries
#
# This machine builds x86_64 only (no aarch64 Swift SDK is installed); --arch arm64 says so and stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
products=(AnnotateHandler ArchiveHandler ThawHandler RestoreHandler NotifyHandler ReconcileHandler WebHandler)
allowed_libs='^(libcurl\.so\.4|libcrypto\.so\.3|libssl\.so\.3|libz\.so\.1|libc\.so\.6|libm\.so\.6|libstdc\+\+\.so\.6|libgcc_s\.so\.1|ld-linux-x86-64\.so\.2|ld-linux-aarch64\.so\.1)$'
max_glibc=2.34
max_glibcxx=3.4.29

usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2; }

version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

# check BINARY [NAME]: prints the problems and returns 1 if the binary would not load on AL2023.
check() {
  local binary=$1 name=${2:-$(basename "$1")} problems=() version lib
  [ -f "$binary" ] || { echo "package: $binary does not exist" >&2; return 1; }
  while read -r version; do
    version_le "$version" "$max_glibc" || problems+=("needs GLIBC_$version (AL2023 has glibc $max_glibc): $(objdump -T "$binary" | grep "GLIBC_$version" | awk '{print $NF}' | tr '\n' ' ')")
  done < <(objdump -T "$binary" | grep -oE 'GLIBC_[0-9]+\.[0-9]+(\.[0-9]+)?' | sed 's/GLIBC_//' | sort -uV)
  while read -r version; do
    version_le "$version" "$max_glibcxx" || problems+=("needs GLIBCXX_$version (AL2023 has GLIBCXX_$max_glibcxx)")
  done < <(objdump -T "$binary" | grep -oE 'GLIBCXX_[0-9.]+' | sed 's/GLIBCXX_//' | sort -uV)
  while read -r lib; do
    [[ "$lib" =~ $allowed_libs ]] || problems+=("links $lib, which the provided.al2023 base image does not provide")
  done < <(readelf -d "$binary" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
  if [ ${#problems[@]} -gt 0 ]; then
    printf 'package: %s will not load on provided.al2023:\n' "$name" >&2
    printf '  - %s\n' "${problems[@]}" >&2
    return 1
  fi
  echo "package: $name loads on provided.al2023 (glibc <= $max_glibc, libraries from the base image)"
}

arch=x86_64 out="$root/.build/lambda" selected=()
while [ $# -gt 0 ]; do
  case "$1" in
    --check) shift; status=0; for b in "$@"; do check "$b" || status=1; done; exit $status ;;
    --arch) arch=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "package: unknown option $1" >&2; usage ;;
    *) selected+=("$1"); shift ;;
  esac
done
[ ${#selected[@]} -gt 0 ] || selected=("${products[@]}")
case "$arch" in
  x86_64|amd64) [ "$(uname -m)" = x86_64 ] || { echo "package: this machine builds $(uname -m) only" >&2; exit 1; } ;;
  arm64|aarch64) echo "package: arm64 needs an aarch64 Swift SDK or an arm64 build machine; this machine ($(uname -m)) has neither" >&2; exit 1 ;;
  *) echo "package: --arch must be x86_64 or arm64, got $arch" >&2; exit 2 ;;
esac
command -v zip > /dev/null || { echo "package: zip is missing (scripts/setup.sh installs it)" >&2; exit 1; }

cd "$root"
mkdir -p "$out"
flags=(-c release -Xswiftc -static-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie)
bin=$(swift build "${flags[@]}" --show-bin-path)
for product in "${selected[@]}"; do
  swift build "${flags[@]}" --product "$product" 2>&1 | grep -E 'error|warning: .*unsafe' || true
  stage=$(mktemp -d)
  strip -o "$stage/bootstrap" "$bin/$product"
  chmod 0755 "$stage/bootstrap"
  check "$stage/bootstrap" "$product" || { rm -rf "$stage"; exit 1; }
  # Reproducible: fixed timestamp, no extra attributes, no directory entries.
  touch -h -d '1980-01-01 00:00:00 UTC' "$stage/bootstrap"
  rm -f "$out/$product.zip"
  (cd "$stage" && TZ=UTC zip -q -X -D "$out/$product.zip" bootstrap)
  rm -rf "$stage"
  printf 'package: %-16s %s (%s bytes, bootstrap %s bytes)\n' "$product" "$out/$product.zip" \
    "$(stat -c %s "$out/$product.zip")" "$(unzip -Zl "$out/$product.zip" bootstrap | awk 'NR==1 {print $4}')"
done
