#!/usr/bin/env bash
# Idempotent setup: Debian packages GAS builds against, and the project's own Python tools.
# Used by the README's commands and by .ci/run; safe to run again (it only does what is missing).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

# chromium and chromium-driver come together so their versions match (the browser tests).
# tabix, bcftools and bedtools: the annotation tests build fixtures and cross-check with them;
# python3-cyvcf2 and python3-pybedtools ship the real VCFs scripts/check-real-vcfs.sh reads.
debs=(libcurl4-openssl-dev libssl-dev zlib1g-dev zip unzip tabix bcftools bedtools python3-cyvcf2 python3-pybedtools chromium chromium-driver)
missing=()
for p in "${debs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing Debian packages: ${missing[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

stamp=.venv/.requirements.sha256
want=$(sha256sum requirements.txt | cut -d' ' -f1)
if [ ! -x .venv/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating .venv from requirements.txt"
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r requirements.txt
  echo "$want" > "$stamp"
fi

# The template checkers (SAM CLI, checkov) pin many of their own dependencies: a venv of their own.
stamp=.venv-checks/.requirements.sha256
want=$(sha256sum requirements-checks.txt | cut -d' ' -f1)
if [ ! -x .venv-checks/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  echo "setup: creating .venv-checks from requirements-checks.txt"
  rm -rf .venv-checks
  python3 -m venv .venv-checks
  .venv-checks/bin/pip install -q --disable-pip-version-check -r requirements-checks.txt
  echo "$want" > "$stamp"
fi

# The web front's local stand-ins (oidc-provider-mock 0.4.x needs Python >= 3.12; on 3.11 pip
# silently picks 0.3.4) and the browser driver, in their own venv from requirements-web.txt.
stamp=.venv-web/.requirements.sha256
want=$(sha256sum requirements-web.txt | cut -d' ' -f1)
if [ ! -x .venv-web/bin/python ] || [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  python=""
  for candidate in python3.13 python3.12 /root/.pyenv/versions/3.13*/bin/python3 /root/.pyenv/versions/3.12*/bin/python3; do
    if command -v "$candidate" >/dev/null 2>&1 && "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      python=$candidate
      break
    fi
  done
  [ -n "$python" ] || { echo "setup: the web front's tools need Python 3.12 or later (none found)" >&2; exit 1; }
  echo "setup: creating .venv-web from requirements-web.txt with $python"
  rm -rf .venv-web
  "$python" -m venv .venv-web
  .venv-web/bin/pip install -q --disable-pip-version-check -r requirements-web.txt
  echo "$want" > "$stamp"
fi
