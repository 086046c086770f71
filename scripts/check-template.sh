#!/usr/bin/env bash
# Checks template.yaml as AWS's tools would before a deploy: cfn-lint on it and on its offline SAM
# translation (only there are the IAM action names of the generated roles checked), `sam validate
# --lint`, `sam build` (the zips are prebuilt: no Docker), and checkov with the reasoned skips in
# .checkov.yaml. Negative controls prove an IAM typo and an unversioned inputs bucket are caught.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
.venv/bin/cfn-lint template.yaml
.venv/bin/python scripts/translate_template.py template.yaml > "$work/translated.json"
.venv/bin/cfn-lint "$work/translated.json"
sed 's/dynamodb:ConditionCheckItem/dynamodb:ConditionCheckItems/' template.yaml > "$work/typo.yaml"
.venv/bin/python scripts/translate_template.py "$work/typo.yaml" > "$work/typo.json"
if .venv/bin/cfn-lint "$work/typo.json" > /dev/null; then
  echo "check-template: cfn-lint missed an IAM action typo in the translation" >&2
  exit 1
fi
export SAM_CLI_TELEMETRY=0
.venv-checks/bin/sam validate --lint --template-file template.yaml --region us-east-1
.venv-checks/bin/sam build --template-file template.yaml --build-dir "$work/sam-build" > "$work/sam-build.log" 2>&1 ||
  { cat "$work/sam-build.log" >&2; echo "check-template: sam build failed" >&2; exit 1; }
.venv-checks/bin/checkov --config-file .checkov.yaml --file template.yaml > "$work/checkov.log" 2>&1 ||
  { cat "$work/checkov.log" >&2; echo "check-template: checkov failed" >&2; exit 1; }
grep -E '^Passed checks' "$work/checkov.log"
python3 - template.yaml > "$work/unversioned.yaml" <<'PY'
import sys
text = open(sys.argv[1]).read()
marker = "      # Versioned: an upload that lands on an existing key keeps the earlier input.\n      VersioningConfiguration: { Status: Enabled }\n"
assert marker in text, "the inputs bucket's versioning line moved: update this negative control"
print(text.replace(marker, "", 1), end="")
PY
if .venv-checks/bin/checkov --config-file .checkov.yaml --file "$work/unversioned.yaml" > "$work/checkov-bad.log" 2>&1 ||
   ! grep -q 'CKV_AWS_21' "$work/checkov-bad.log"; then
  echo "check-template: checkov missed an unversioned inputs bucket" >&2
  exit 1
fi
echo "check-template: template.yaml passes cfn-lint, sam validate --lint, sam build and checkov"
