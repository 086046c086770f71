#!/usr/bin/env bash
# Cold start of a shipped function (issue 11), three ways, in interleaved rounds of the shared
# rig's run.sh (../shared/bench/lambda-runtime):
#   bundled  ArchiveHandler's zip from scripts/package.sh: Debian's libcurl and its whole closure in lib/
#   minimal  the same bootstrap with a libcurl built for what GAS uses (HTTP/1.1 over OpenSSL, zlib:
#            no HTTP/2, IDN, PSL, Kerberos, LDAP, RTMP, SSH, brotli or zstd) from Debian's curl
#            source, so lib/ holds 4 libraries instead of 29; every function's zip is rebuilt so and
#            proven with scripts/lambda-chroot.sh --prove (load check + the lifecycle demo)
#   system   the same bootstrap without lib/ (its run path finds nothing, so the system's libraries load)
# The rig's events do not decode as archive requests, so every invocation answers InvalidEvent: the
# rig then calls the run FAILED, so the script reads the cold starts' init times (exec -> first
# /next) from its raw files. Results in BENCHMARKS.md.
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
scripts/package.sh

# libcurl for what GAS uses, from the source of the Debian version the zips bundle.
version=$(dpkg-query -W -f='${Version}' libcurl4 | sed 's/-.*//')
if [ ! -f "$work/curl/lib/.libs/libcurl.so.4" ]; then
  rm -rf "$work/curl" && mkdir -p "$work/curl"
  curl -sSf "http://deb.debian.org/debian/pool/main/c/curl/curl_$version.orig.tar.gz" | tar -xz -C "$work/curl" --strip-components=1
  (cd "$work/curl" && ./configure -q --with-openssl --with-zlib --enable-versioned-symbols --disable-static --disable-manual \
     --without-nghttp2 --without-libidn2 --without-libpsl --without-brotli --without-zstd --without-libssh2 --without-librtmp \
     --without-gssapi --disable-ldap --disable-ldaps --disable-rtsp --disable-dict --disable-telnet --disable-tftp --disable-pop3 \
     --disable-imap --disable-smtp --disable-gopher --disable-mqtt --disable-smb --disable-ftp --disable-file --disable-ntlm \
     --disable-alt-svc --disable-hsts > /dev/null && make -s -C lib -j"$(nproc)" > /dev/null 2>&1)
fi
rm -rf "$work/minimal-zips" && mkdir -p "$work/minimal-zips"
for zip in .build/lambda/*.zip; do
  stage=$(mktemp -d)
  unzip -q "$zip" -d "$stage"
  rm -rf "$stage/lib" && mkdir "$stage/lib"
  cp -L "$work/curl/lib/.libs/libcurl.so.4" "$stage/lib/"
  for lib in libssl.so.3 libcrypto.so.3 libz.so.1; do cp -L "$(ldconfig -p | awk -v n="$lib" '$1 == n && /x86-64/ && !f {print $NF; f = 1}')" "$stage/lib/"; done
  strip --strip-unneeded "$stage/lib/libcurl.so.4"
  (cd "$stage" && find bootstrap lib -type f | LC_ALL=C sort | zip -q -X -D "$work/minimal-zips/$(basename "$zip")" -@)
  rm -rf "$stage"
done
products=$(cd .build/lambda && ls *.zip | sed 's/\.zip$//')
# shellcheck disable=SC2086
scripts/lambda-chroot.sh --prove "$work/minimal-zips" $products > "$work/minimal-prove.log" 2>&1 ||
  { tail -40 "$work/minimal-prove.log"; echo "cold-start: the minimal libcurl failed the chroot proof" >&2; exit 1; }
grep -E 'loads on the base|every step checked out' "$work/minimal-prove.log"

rm -rf "$work/bundled" "$work/minimal" "$work/system"
unzip -q .build/lambda/ArchiveHandler.zip -d "$work/bundled"
unzip -q "$work/minimal-zips/ArchiveHandler.zip" -d "$work/minimal"
mkdir -p "$work/system" && cp "$work/bundled/bootstrap" "$work/system/"
settings=(env ANNOTATIONS_TABLE=gas-annotations USERS_TABLE=gas-users RESULTS_BUCKET=gas-results AWS_REGION=us-east-1
  AWS_ACCESS_KEY_ID=AK AWS_SECRET_ACCESS_KEY=SK AWS_ENDPOINT_URL=http://127.0.0.1:9)
for round in $(seq "$rounds"); do
  for variant in bundled minimal system; do
    "$work/rig/run.sh" --quick --expect any --name "$variant" --binary "$work/$variant/bootstrap" \
      --out "$work/out/$variant/r$round" "${settings[*]} $work/$variant/bootstrap" > /dev/null 2>&1 || true
  done
done
python3 - "$work/out" <<'PY'
import glob, json, statistics, sys
for variant in ("bundled", "minimal", "system"):
    runs = [json.load(open(p)) for p in glob.glob(f"{sys.argv[1]}/{variant}/r*/raw/cold-*.json")]
    inits = sorted(r["init_ms"] for r in runs if r.get("init_ms") is not None)
    rss = statistics.median(r["peak_rss_kib"] for r in runs) / 1024
    print(f"{variant}: init median {statistics.median(inits):.2f} ms (min {inits[0]:.2f}, max {inits[-1]:.2f}, n={len(inits)}), "
          f"first invocation {statistics.median(r['first_invoke_us'] for r in runs) / 1000:.2f} ms, peak RSS {rss:.1f} MiB")
PY
for variant in bundled minimal; do
  zip=.build/lambda/ArchiveHandler.zip
  [ $variant = bundled ] || zip=$work/minimal-zips/ArchiveHandler.zip
  echo "$variant zip: $(stat -c %s "$zip") bytes; unzipped $(du -sb "$work/$variant" | cut -f1) bytes, lib/ $(ls "$work/$variant/lib" | wc -l) libraries"
done
