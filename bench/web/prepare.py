"""Prepares the web front benchmark on a running `gas-local up`: logs a user in through the local
identity provider, gives them JOBS completed jobs, and writes the DynamoDB answers the stub serves
(the same items moto holds). Prints {"cookie": ..., "job": ...} as JSON.

Usage: prepare.py WEB_URL IDP_URL ENV_FILE STUB_DIR JOBS
"""

import hashlib
import json
import os
import sys
import time
import uuid

import boto3
import requests

web, idp, env_file, stub_dir, count = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5])
env = dict(line.split("=", 1) for line in open(env_file).read().splitlines() if "=" in line)
db = boto3.client("dynamodb", endpoint_url=env["AWS_ENDPOINT_URL"], region_name=env.get("AWS_REGION", "us-east-1"),
                  aws_access_key_id=env["AWS_ACCESS_KEY_ID"], aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"])

sub = f"bench-{uuid.uuid4().hex[:8]}"
requests.put(f"{idp}/users/{sub}", json={"email": f"{sub}@example.org", "name": "Bench User"}, timeout=10).raise_for_status()
browser = requests.Session()
authorize = browser.get(f"{web}/login?next=%2Fannotations", allow_redirects=False, timeout=10).headers["Location"]
callback = requests.post(authorize, data={"sub": sub}, allow_redirects=False, timeout=10).headers["Location"]
browser.get(callback, allow_redirects=True, timeout=10).raise_for_status()
cookie = browser.cookies["gas_session"]

now = int(time.time())
jobs = []
for index in range(count):
    job = str(uuid.uuid4())
    name = f"sample-{index:03d}.vcf"
    db.put_item(TableName=env["ANNOTATIONS_TABLE"], Item={
        "job_id": {"S": job}, "user_id": {"S": sub}, "input_file_name": {"S": name}, "s3_inputs_bucket": {"S": env["INPUTS_BUCKET"]},
        "s3_key_input_file": {"S": f"{sub}/{job}~{name}"}, "submit_time": {"N": str(now - 3600 + index * 60)},
        "job_status": {"S": "COMPLETED"}, "complete_time": {"N": str(now - 3500 + index * 60)}, "results_storage": {"S": "S3"},
        "s3_results_bucket": {"S": "gas-results"}, "s3_key_result_file": {"S": f"{sub}/{job}~sample-{index:03d}.annot.vcf"},
        "s3_key_log_file": {"S": f"{sub}/{job}~{name}.count.log"},
    })
    jobs.append(job)

os.makedirs(stub_dir, exist_ok=True)
key = hashlib.sha256(cookie.encode()).hexdigest()
answers = {
    f"GetItem-{env['SESSIONS_TABLE']}": {"Item": db.get_item(TableName=env["SESSIONS_TABLE"], Key={"session_id": {"S": key}}, ConsistentRead=True)["Item"]},
    f"GetItem-{env['USERS_TABLE']}": {"Item": db.get_item(TableName=env["USERS_TABLE"], Key={"user_id": {"S": sub}}, ConsistentRead=True)["Item"]},
    f"GetItem-{env['ANNOTATIONS_TABLE']}": {"Item": db.get_item(TableName=env["ANNOTATIONS_TABLE"], Key={"job_id": {"S": jobs[0]}}, ConsistentRead=True)["Item"]},
}
page = db.query(TableName=env["ANNOTATIONS_TABLE"], IndexName=env.get("USER_ID_INDEX", "user_id_index"), KeyConditionExpression="user_id = :u",
                ExpressionAttributeValues={":u": {"S": sub}})
# The request sweep's scan of the unpublished-requests index finds nothing to resend.
answers[f"Scan-{env['ANNOTATIONS_TABLE']}"] = {"Items": [], "Count": 0, "ScannedCount": 0}
answers[f"Query-{env['ANNOTATIONS_TABLE']}"] = {"Items": page["Items"], "Count": page["Count"], "ScannedCount": page["ScannedCount"]}
for name, answer in answers.items():
    with open(os.path.join(stub_dir, name + ".json"), "w") as out:
        json.dump(answer, out, separators=(",", ":"))
print(json.dumps({"cookie": cookie, "job": jobs[0], "user": sub}))
