#!/usr/bin/env bash
# Lints template.yaml with cfn-lint, then its offline SAM translation (only there are the IAM
# action names of the generated roles checked), with a negative control proving a typo is caught.
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
echo "check-template: template.yaml and its SAM translation pass cfn-lint"
