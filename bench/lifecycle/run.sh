#!/usr/bin/env bash
# Peak resident memory of ArchiveHandler and RestoreHandler (release builds, local mode) moving a
# 1 GiB result through the Glacier vault backend of an embedded moto (RESULT_MIB to change the size).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
scripts/setup.sh
for p in ArchiveHandler ThawHandler RestoreHandler; do swift build -c release --product "$p" 2>&1 | grep -E 'error|Compiling' || true; done
bin=$(swift build -c release --show-bin-path)
work=$(mktemp -d)
.venv/bin/python scripts/moto_server.py --parent-pid $$ > "$work/moto" 2>/dev/null &
moto=$!
trap 'kill $moto 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do grep -q listening "$work/moto" 2>/dev/null && break; sleep 0.1; done
endpoint=$(sed -n 's/^moto listening on //p' "$work/moto")
py() { .venv/bin/python bench/lifecycle/setup.py "$endpoint" "$@"; }
py setup "$work"
export AWS_ENDPOINT_URL=$endpoint AWS_REGION=us-east-1 AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing
export ANNOTATIONS_TABLE=annotations USERS_TABLE=users RESULTS_BUCKET=results COLD_STORE=glacier-vault GLACIER_VAULT=gas
# moto has no vault multipart upload: send the archive in one UploadArchive (AWS allows 4 GiB).
export GLACIER_MULTIPART_THRESHOLD=$((4 * 1024 * 1024 * 1024))
sqs_event() { python3 -c 'import json,sys; env={"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:1:t","Message":sys.argv[1],"Timestamp":"2025-01-01T00:00:00Z"}; print(json.dumps({"Records":[{"messageId":"m1","receiptHandle":"h","body":json.dumps(env),"attributes":{}}]}))' "$1"; }
echo '{"job_id":"job-1"}' > "$work/archive.json"
/usr/bin/time -f "ArchiveHandler: %e s, peak RSS %M KiB" "$bin/ArchiveHandler" --event "$work/archive.json"
py upgrade
sqs_event '{"user_id":"u1"}' > "$work/thaw.json"
"$bin/ThawHandler" --event "$work/thaw.json" > /dev/null
sqs_event "$(py wait-job)" > "$work/restore.json"
/usr/bin/time -f "RestoreHandler: %e s, peak RSS %M KiB" "$bin/RestoreHandler" --event "$work/restore.json"
py check
