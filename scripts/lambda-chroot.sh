#!/usr/bin/env bash
# Runs a function's zip the way provided.al2023 would, on this machine: the zip unpacked at
# /var/task of a fresh chroot that holds nothing but the base libraries every AL2023 image has
# (glibc, libgcc_s, libstdc++ and the loader, in /lib64), Lambda's LD_LIBRARY_PATH, a writable /tmp,
# and an unprivileged user. A library the zip does not bundle is simply not there.
#
#   scripts/lambda-chroot.sh ZIP                      run ZIP's bootstrap (the environment is kept;
#                                                     gas-local --function-zips launches functions so)
#   scripts/lambda-chroot.sh --check-loads ZIP...     every ZIP must load with all symbols bound
#   scripts/lambda-chroot.sh --prove DIR PRODUCT...   every DIR/PRODUCT.zip must load with all symbols
#                                                     bound, then `gas-local demo --function-zips DIR`
#                                                     carries a job through its lifecycle on them
# Needs root (chroot, device nodes) or password-less sudo.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
base=(libc.so.6 libm.so.6 libdl.so.2 libpthread.so.0 librt.so.1 libresolv.so.2 libutil.so.1 libgcc_s.so.1 libstdc++.so.6)
lambda_library_path=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib
roots=${TMPDIR:-/tmp}/gas-lambda-roots
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo -E)

# make_root ZIP DIR: a fresh root with the base libraries and the zip at /var/task.
make_root() {
  local zip=$1 dir=$2 lib path
  [ -f "$zip" ] || { echo "lambda-chroot: $zip does not exist (scripts/package.sh builds it)" >&2; return 1; }
  "${as_root[@]}" rm -rf "$dir"
  mkdir -p "$dir"/{lib64,usr/lib64,var/task,tmp,dev,proc}
  chmod 1777 "$dir/tmp"
  for lib in "${base[@]}"; do
    path=$(ldconfig -p | awk -v n="$lib" '$1 == n && /x86-64/ && !found {print $NF; found = 1}')
    [ -n "$path" ] || { echo "lambda-chroot: this machine has no $lib" >&2; return 1; }
    cp -L "$path" "$dir/lib64/$lib"
  done
  cp -L /lib64/ld-linux-x86-64.so.2 "$dir/lib64/"
  "${as_root[@]}" mknod -m 666 "$dir/dev/null" c 1 3
  "${as_root[@]}" mknod -m 666 "$dir/dev/zero" c 1 5
  "${as_root[@]}" mknod -m 666 "$dir/dev/random" c 1 8
  "${as_root[@]}" mknod -m 666 "$dir/dev/urandom" c 1 9
  unzip -q "$zip" -d "$dir/var/task"
}

# in_namespace DIR COMMAND...: runs COMMAND with DIR/proc mounted in a mount namespace of its own
# (the loader resolves $ORIGIN through /proc/self/exe); the mount goes when the process does.
in_namespace() {
  local dir=$1
  shift
  "${as_root[@]}" unshare --mount sh -c 'mount -t proc proc "$0/proc" && exec "$@"' "$dir" "$@"
}

# prove_loads ZIP: the bootstrap loads in the chroot with every symbol bound, and every library
# beyond the base comes from the zip's lib/ (found through its run path alone).
prove_loads() {
  local zip=$1 dir report
  dir=$roots/prove.$(basename "$zip" .zip).$$
  make_root "$zip" "$dir"
  # The loader's own trace (what `ldd -r` does), set for the bootstrap alone, not for a host program.
  report=$(in_namespace "$dir" python3 -c 'import os, sys
os.chroot(sys.argv[1]); os.chdir("/")
os.execve("/var/task/bootstrap", ["bootstrap"], {"LD_TRACE_LOADED_OBJECTS": "1", "LD_WARN": "yes", "LD_BIND_NOW": "yes", "LD_LIBRARY_PATH": "/lib64:/usr/lib64"})' "$dir" 2>&1) || true
  "${as_root[@]}" rm -rf "$dir"
  if grep -qE 'not found|undefined symbol|error' <<< "$report" || ! grep -q '/var/task/lib/' <<< "$report" ||
     [ "$(grep -E '=> /' <<< "$report" | grep -cvE '=> (/lib64/|/var/task/lib/)')" != 0 ]; then
    echo "lambda-chroot: $(basename "$zip") does not load on the base libraries alone:" >&2
    echo "$report" >&2
    return 1
  fi
  echo "lambda-chroot: $(basename "$zip") loads on the base libraries with every symbol bound ($(grep -c '/var/task/lib/' <<< "$report") libraries from its lib/)"
}

case "${1:-}" in
  --check-loads)
    shift
    mkdir -p "$roots"
    status=0
    for zip in "$@"; do prove_loads "$zip" || status=1; done
    exit $status ;;
  --prove)
    [ $# -ge 3 ] || { echo "usage: lambda-chroot.sh --prove DIR PRODUCT..." >&2; exit 2; }
    dir=$(cd "$2" && pwd); shift 2
    # The demo's roots live in a folder of their own, removed at the end.
    TMPDIR=$(mktemp -d)
    export TMPDIR
    trap '"${as_root[@]}" rm -rf "$TMPDIR"' EXIT
    roots=$TMPDIR/gas-lambda-roots
    mkdir -p "$roots"
    for product in "$@"; do prove_loads "$dir/$product.zip"; done
    cd "$root"
    swift build --quiet --product gas-local
    swift build --quiet --product gas-web
    echo "lambda-chroot: gas-local demo with every hosted function run from its zip in a chroot"
    "$(swift build --show-bin-path)/gas-local" demo --function-zips "$dir" --retention 10
    exit ;;
esac
[ $# -eq 1 ] || { sed -n '2,/^set -euo/p' "$0" | grep '^#' | sed 's/^# \{0,1\}//'; exit 2; }
zip=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
name=$(basename "$zip" .zip)
mkdir -p "$roots"
# A root per launch; those of earlier launches of this function whose process is gone are removed.
for old in "$roots/$name".*; do
  [ -e "$old" ] && ! kill -0 "${old##*.}" 2>/dev/null && "${as_root[@]}" rm -rf "$old"
done
dir=$roots/$name.$$
make_root "$zip" "$dir"
export LD_LIBRARY_PATH=$lambda_library_path LAMBDA_TASK_ROOT=/var/task LAMBDA_RUNTIME_DIR=/var/runtime
# exec all the way down: the function host's pid is the bootstrap's, so its kill reaches the function.
exec "${as_root[@]}" unshare --mount sh -c 'mount -t proc proc "$0/proc" && exec "$@"' "$dir" \
  chroot --userspec=65534:65534 "$dir" /var/task/bootstrap
