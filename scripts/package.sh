#!/usr/bin/env bash
# Builds one zip per Lambda function for provided.al2023: release build with the static Swift
# standard library, non-PIE, stripped, `bootstrap` (0755) at the zip root and, under `lib/`, every
# shared library it needs beyond the base every AL2023 image has (libcurl and its whole closure,
# libcrypto, libssl, zlib). The bootstrap's DT_RPATH is `$ORIGIN/lib`: it comes before Lambda's
# LD_LIBRARY_PATH, so the bundled copies are used whatever the image ships. Same bytes for the same
# input. Before zipping it proves the zip will load on Amazon Linux 2023:
#   - no glibc symbol version above GLIBC_2.34, no libstdc++ version above GLIBCXX_3.4.29 (GCC 11),
#     in the bootstrap and in every bundled library;
#   - every NEEDED library is a base one or bundled; no bundled library carries its own run path.
# With --prove it then runs every zip in a chroot holding only the base libraries
# (scripts/lambda-chroot.sh): each bootstrap must load with every symbol bound, and the functions
# gas-local hosts must carry one job through its lifecycle against moto on loopback.
#
#   scripts/package.sh [--arch x86_64|arm64] [--out DIR] [--prove] [PRODUCT...]   build, check, zip
#   scripts/package.sh --check BINARY...                                           only check binaries
#
# This machine builds x86_64 only (no aarch64 Swift SDK is installed); --arch arm64 says so and stops.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
products=(AnnotateHandler ArchiveHandler ThawHandler RestoreHandler NotifyHandler ReconcileHandler WebHandler)
# What every provided.al2023 image has (glibc, libgcc, libstdc++ and the loader); all else is bundled.
base_libs='^(libc\.so\.6|libm\.so\.6|libdl\.so\.2|libpthread\.so\.0|librt\.so\.1|libresolv\.so\.2|libutil\.so\.1|libgcc_s\.so\.1|libstdc\+\+\.so\.6|ld-linux-x86-64\.so\.2)$'
max_glibc=2.34
max_glibcxx=3.4.29

usage() { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2; }

version_le() { [ "$(printf '%s\n%s\n' "$1" "$2" | sort -V | head -n1)" = "$1" ]; }

# check FILE [NAME]: prints the problems and returns 1 if FILE (a bootstrap, or a library bundled
# beside one) would not load on AL2023. Its libraries must be base ones or sit in the zip's lib/.
check() {
  local file=$1 name=${2:-$(basename "$1")} problems=() version lib libdir
  [ -f "$file" ] || { echo "package: $file does not exist" >&2; return 1; }
  libdir=$(dirname "$file")
  [ "$(basename "$libdir")" = lib ] || libdir=$libdir/lib
  while read -r version; do
    version_le "$version" "$max_glibc" || problems+=("needs GLIBC_$version (AL2023 has glibc $max_glibc): $(objdump -T "$file" | grep "GLIBC_$version" | awk '{print $NF}' | tr '\n' ' ')")
  done < <(objdump -T "$file" | grep -oE 'GLIBC_[0-9]+\.[0-9]+(\.[0-9]+)?' | sed 's/GLIBC_//' | sort -uV)
  while read -r version; do
    version_le "$version" "$max_glibcxx" || problems+=("needs GLIBCXX_$version (AL2023 has GLIBCXX_$max_glibcxx)")
  done < <(objdump -T "$file" | grep -oE 'GLIBCXX_[0-9.]+' | sed 's/GLIBCXX_//' | sort -uV)
  while read -r lib; do
    [[ "$lib" =~ $base_libs ]] || [ -f "$libdir/$lib" ] || problems+=("links $lib, which is neither in the provided.al2023 base image nor bundled in lib/")
  done < <(readelf -d "$file" | sed -n 's/.*Shared library: \[\(.*\)\]/\1/p')
  if [[ "$file" == */lib/* ]] && readelf -d "$file" | grep -qE '\((RUNPATH|RPATH)\)'; then
    problems+=("has its own run path, which would hide the bootstrap's \$ORIGIN/lib from its dependencies")
  fi
  if [ -n "$(ls -A "$libdir" 2>/dev/null)" ] && [[ "$file" != */lib/* ]] &&
     ! readelf -d "$file" | sed -n 's/.*(RPATH).*\[\(.*\)\]/\1/p' | tr ':' '\n' | grep -qx '$ORIGIN/lib'; then
    problems+=("has no DT_RPATH \$ORIGIN/lib, so Lambda's LD_LIBRARY_PATH could pick the image's libraries over lib/")
  fi
  if [ ${#problems[@]} -gt 0 ]; then
    printf 'package: %s will not load on provided.al2023:\n' "$name" >&2
    printf '  - %s\n' "${problems[@]}" >&2
    return 1
  fi
}

# bundle STAGE: copies every non-base library the bootstrap loads (its whole closure) into lib/.
bundle() {
  local stage=$1 soname path
  mkdir -p "$stage/lib"
  while read -r soname path; do
    [[ "$soname" =~ $base_libs ]] && continue
    cp -L "$path" "$stage/lib/$soname"
    chmod 0644 "$stage/lib/$soname"
  done < <(ldd "$stage/bootstrap" | awk '$2 == "=>" && $3 ~ /^\// {print $1, $3}')
}

arch=x86_64 out="$root/.build/lambda" selected=() prove=false
while [ $# -gt 0 ]; do
  case "$1" in
    --check) shift; status=0; for b in "$@"; do check "$b" || status=1; done; exit $status ;;
    --arch) arch=$2; shift 2 ;;
    --out) out=$2; shift 2 ;;
    --prove) prove=true; shift ;;
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
# DT_RPATH (not RUNPATH): searched before LD_LIBRARY_PATH, and for the libraries' own dependencies too.
flags=(-c release -Xswiftc -static-stdlib -Xswiftc -Xclang-linker -Xswiftc -no-pie
  -Xlinker --disable-new-dtags -Xlinker '-rpath=$ORIGIN/lib')
bin=$(swift build "${flags[@]}" --show-bin-path)
for product in "${selected[@]}"; do
  swift build "${flags[@]}" --product "$product" 2>&1 | grep -E 'error|warning: .*unsafe' || true
  stage=$(mktemp -d)
  strip -o "$stage/bootstrap" "$bin/$product"
  chmod 0755 "$stage/bootstrap"
  bundle "$stage"
  status=0
  for file in "$stage/bootstrap" "$stage"/lib/*; do check "$file" "$product: ${file#"$stage"/}" || status=1; done
  [ $status -eq 0 ] || { rm -rf "$stage"; exit 1; }
  # Reproducible: fixed timestamps, no extra attributes, no directory entries, sorted names.
  find "$stage" -type f -exec touch -h -d '1980-01-01 00:00:00 UTC' {} +
  rm -f "$out/$product.zip"
  (cd "$stage" && find bootstrap lib -type f | LC_ALL=C sort | TZ=UTC zip -q -X -D "$out/$product.zip" -@)
  printf 'package: %-16s %s (%s bytes; bootstrap %s bytes, %s bundled libraries %s bytes; glibc <= %s)\n' "$product" "$out/$product.zip" \
    "$(stat -c %s "$out/$product.zip")" "$(stat -c %s "$stage/bootstrap")" "$(ls "$stage/lib" | wc -l)" \
    "$(cat "$stage"/lib/* | wc -c)" "$max_glibc"
  rm -rf "$stage"
done
if $prove; then
  "$root/scripts/lambda-chroot.sh" --prove "$out" "${selected[@]}"
fi
