"""The AWS CLI (from .venv-checks) against `gas-local up`: what an operator would do by hand.

Lists the resources, describes the functions and their event source mappings, invokes a function
with its log tail, publishes an annotation request and follows the job to COMPLETED, then starts
and describes an archive execution. Exits 1 naming the first check that failed.

    python Tests/CLI/aws_cli_test.py --binaries .build/debug [--aws .venv-checks/bin/aws]
"""
import argparse
import base64
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--binaries", required=True)
    parser.add_argument("--aws", default=os.path.join(ROOT, ".venv-checks", "bin", "aws"))
    args = parser.parse_args()
    output = tempfile.NamedTemporaryFile("w+", suffix=".log", delete=False)
    local = subprocess.Popen(
        [os.path.join(args.binaries, "gas-local"), "up", "--retention", "2"], cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
    try:
        endpoint = wait_for_endpoint(output.name, local)
        run_checks(args.aws, endpoint)
        print("aws-cli test: every check passed against gas-local up")
    except Exception as error:  # noqa: BLE001 - report what failed, with gas-local's tail
        print(f"aws-cli test failed: {error}", file=sys.stderr)
        print("".join(open(output.name).readlines()[-40:]), file=sys.stderr)
        sys.exit(1)
    finally:
        local.send_signal(signal.SIGTERM)
        try:
            local.wait(timeout=30)
        except subprocess.TimeoutExpired:
            local.kill()
        os.unlink(output.name)


def wait_for_endpoint(path, process, seconds=180):
    deadline = time.time() + seconds
    while time.time() < deadline:
        match = re.search(r"gas-local: up; AWS endpoint (http://\S+)\.", open(path).read())
        if match:
            return match.group(1)
        if process.poll() is not None:
            raise RuntimeError(f"gas-local exited with {process.returncode} before it was up")
        time.sleep(0.5)
    raise RuntimeError(f"gas-local was not up after {seconds} s")


def run_checks(aws_path, endpoint):
    environment = dict(os.environ, AWS_ENDPOINT_URL=endpoint, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing",
                       AWS_DEFAULT_REGION="us-east-1", AWS_PAGER="")

    def aws(*words, parse=True):
        # --endpoint-url too: the AWS CLI v1 does not read AWS_ENDPOINT_URL for every service (SQS).
        done = subprocess.run([aws_path, *words, "--endpoint-url", endpoint, "--output", "json"], env=environment,
                              capture_output=True, text=True, timeout=120)
        if done.returncode != 0:
            raise RuntimeError(f"aws {' '.join(words)} exited {done.returncode}: {done.stderr.strip()}")
        return json.loads(done.stdout) if parse and done.stdout.strip() else done.stdout

    def check(condition, what):
        if not condition:
            raise RuntimeError(what)
        print(f"  ok: {what}")

    # The resources, as the template names them.
    functions = {f["FunctionName"]: f for f in aws("lambda", "list-functions")["Functions"]}
    expected = {"AnnotateFunction", "NotifyFunction", "ArchiveFunction", "ThawFunction", "RestoreFunction", "ReconcileFunction"}
    check(expected <= set(functions), f"list-functions shows the six functions ({sorted(functions)})")
    annotate = aws("lambda", "get-function", "--function-name", "AnnotateFunction")["Configuration"]
    check(annotate["MemorySize"] == 2048 and annotate["Runtime"] == "provided.al2023", "get-function: AnnotateFunction has the template's 2048 MB")
    check(annotate["LoggingConfig"]["LogFormat"] == "JSON", "get-function: AnnotateFunction logs JSON, as its LoggingConfig says")
    mappings = aws("lambda", "list-event-source-mappings", "--function-name", "AnnotateFunction")["EventSourceMappings"]
    check(len(mappings) == 1 and mappings[0]["EventSourceArn"].endswith("AnnotateQueue"), "list-event-source-mappings: AnnotateQueue feeds AnnotateFunction")
    tables = aws("dynamodb", "list-tables")["TableNames"]
    annotations = next(t for t in tables if t.endswith("AnnotationsTable"))
    users = next(t for t in tables if t.endswith("UsersTable"))
    check(any(t.endswith("SessionsTable") for t in tables), f"list-tables shows the three tables ({tables})")
    buckets = [b["Name"] for b in aws("s3api", "list-buckets")["Buckets"]]
    inputs = next(b for b in buckets if "inputsbucket" in b)
    check(any(b.startswith("gas-results-") for b in buckets), f"list-buckets shows the inputs and results buckets ({buckets})")
    topics = [t["TopicArn"] for t in aws("sns", "list-topics")["Topics"]]
    requests = next(t for t in topics if t.endswith("JobRequestsTopic"))
    queues = aws("sqs", "list-queues")["QueueUrls"]
    check(sum(q.endswith("DeadLetters") for q in queues) == 4, "list-queues shows the four dead-letter queues")
    machines = aws("stepfunctions", "list-state-machines")["stateMachines"]
    machine = next(m["stateMachineArn"] for m in machines if m["name"].endswith("ArchiveStateMachine"))
    groups = [g["logGroupName"] for g in aws("logs", "describe-log-groups")["logGroups"]]
    check(any(g.endswith("/annotate") for g in groups), "describe-log-groups shows the functions' log groups")

    # The template's settings on them.
    sessions = next(t for t in tables if t.endswith("SessionsTable"))
    rule = aws("s3api", "get-bucket-encryption", "--bucket", inputs)["ServerSideEncryptionConfiguration"]["Rules"][0]
    check(rule["ApplyServerSideEncryptionByDefault"]["SSEAlgorithm"] == "AES256", "the inputs bucket is encrypted (SSE-S3)")
    block = aws("s3api", "get-public-access-block", "--bucket", inputs)["PublicAccessBlockConfiguration"]
    check(all(block.values()) and len(block) == 4, "the inputs bucket blocks public access")
    cors = aws("s3api", "get-bucket-cors", "--bucket", inputs)["CORSRules"]
    check(cors[0]["AllowedMethods"] == ["POST"] and cors[0]["AllowedOrigins"][0].startswith("http://127.0.0.1:"), "the inputs bucket lets the web front POST")
    check(aws("s3api", "get-bucket-versioning", "--bucket", inputs).get("Status") == "Enabled", "the inputs bucket is versioned")
    backups = aws("dynamodb", "describe-continuous-backups", "--table-name", annotations)["ContinuousBackupsDescription"]
    check(backups["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"] == "ENABLED", "the annotations table has point-in-time recovery")
    ttl = aws("dynamodb", "describe-time-to-live", "--table-name", sessions)["TimeToLiveDescription"]
    check(ttl.get("AttributeName") == "expires_at" and ttl.get("TimeToLiveStatus") == "ENABLED", "sessions expire on expires_at (TTL)")
    annotate_queue = next(q for q in queues if q.endswith("AnnotateQueue"))
    attributes = aws("sqs", "get-queue-attributes", "--queue-url", annotate_queue, "--attribute-names", "All")["Attributes"]
    check(attributes.get("SqsManagedSseEnabled") == "true" and int(json.loads(attributes["RedrivePolicy"])["maxReceiveCount"]) == 3,
          "the annotate queue is encrypted and dead-letters on the third receive")
    retrievals = next(t for t in topics if t.endswith("RetrievalsTopic"))
    check(aws("sns", "get-topic-attributes", "--topic-arn", retrievals)["Attributes"].get("KmsMasterKeyId", "") != "",
          "the retrievals topic is encrypted with the stack's key")

    # One invocation with its log tail.
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        invoked = aws("lambda", "invoke", "--function-name", "ReconcileFunction", "--log-type", "Tail", "--payload", "{}", out.name)
        tail = base64.b64decode(invoked.get("LogResult", "")).decode()
        check(invoked["StatusCode"] == 200 and "FunctionError" not in invoked, "lambda invoke ReconcileFunction answers 200 without error")
        check("START RequestId: " in tail and "REPORT RequestId: " in tail, "lambda invoke --log-type Tail returns the invocation's log")
        check("repairs" in json.load(open(out.name)), "the reconciler's answer is its report")

    # A request published by hand, followed to COMPLETED.
    job, user, key = "job-cli-1", "cli-user", "gas/cli-user/job-cli-1~sample.vcf"
    aws("s3", "cp", os.path.join(ROOT, "samples", "sample.vcf"), f"s3://{inputs}/{key}", parse=False)
    aws("dynamodb", "put-item", "--table-name", users, "--item", json.dumps(
        {"user_id": {"S": user}, "name": {"S": "CLI"}, "email": {"S": "cli@example.org"}, "role": {"S": "premium_user"}}))
    aws("dynamodb", "put-item", "--table-name", annotations, "--item", json.dumps({
        "job_id": {"S": job}, "user_id": {"S": user}, "input_file_name": {"S": "sample.vcf"}, "s3_inputs_bucket": {"S": inputs},
        "s3_key_input_file": {"S": key}, "submit_time": {"N": str(int(time.time()))}, "job_status": {"S": "PENDING"}}))
    message = json.dumps({"job_id": job, "user_id": user, "input_file_name": "sample.vcf", "s3_inputs_bucket": inputs, "s3_key_input_file": key})
    check("MessageId" in aws("sns", "publish", "--topic-arn", requests, "--message", message), "sns publish of an annotation request")
    status = None
    for _ in range(120):
        item = aws("dynamodb", "get-item", "--table-name", annotations, "--key", json.dumps({"job_id": {"S": job}}), "--consistent-read")
        status = item.get("Item", {}).get("job_status", {}).get("S")
        if status in ("COMPLETED", "FAILED"):
            break
        time.sleep(0.5)
    check(status == "COMPLETED", f"the job went to COMPLETED (last seen {status})")

    # An archive execution, started and described by hand: a premium user's result stays.
    started = aws("stepfunctions", "start-execution", "--state-machine-arn", machine, "--input", json.dumps({"job_id": job, "archive_at": "2000-01-01T00:00:00Z"}))
    described = {}
    for _ in range(120):
        described = aws("stepfunctions", "describe-execution", "--execution-arn", started["executionArn"])
        if described["status"] != "RUNNING":
            break
        time.sleep(0.5)
    check(described.get("status") == "SUCCEEDED", f"describe-execution: the archive execution SUCCEEDED ({described.get('status')})")
    check(json.loads(described["output"])["outcome"] == "skippedPremium", "its output says the premium user's result was skipped")


if __name__ == "__main__":
    main()
