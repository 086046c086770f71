"""Sets up the 1 GiB vault-backend benchmark in moto with boto3 and drives the steps between
handler runs: python setup.py ENDPOINT (setup|upgrade|wait-job|check) ..."""
import json
import os
import sys
import time

import boto3

endpoint, step = sys.argv[1], sys.argv[2]
kw = dict(endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing")
s3, db, glacier = boto3.client("s3", **kw), boto3.client("dynamodb", **kw), boto3.client("glacier", **kw)
size = int(os.environ.get("RESULT_MIB", "1024")) * 1024 * 1024

if step == "setup":
    work = sys.argv[3]
    for table, key, gsi in (("annotations", "job_id", True), ("users", "user_id", False)):
        args = dict(TableName=table, KeySchema=[{"AttributeName": key, "KeyType": "HASH"}], BillingMode="PAY_PER_REQUEST",
                    AttributeDefinitions=[{"AttributeName": key, "AttributeType": "S"}])
        if gsi:
            args["AttributeDefinitions"].append({"AttributeName": "user_id", "AttributeType": "S"})
            args["GlobalSecondaryIndexes"] = [{"IndexName": "user_id_index", "KeySchema": [{"AttributeName": "user_id", "KeyType": "HASH"}],
                                               "Projection": {"ProjectionType": "ALL"}}]
        db.create_table(**args)
    s3.create_bucket(Bucket="results")
    s3.put_bucket_versioning(Bucket="results", VersioningConfiguration={"Status": "Enabled"})
    glacier.create_vault(vaultName="gas")
    path = os.path.join(work, "result.vcf")
    block = (b"chr1\t12345\t.\tA\tG\t50\tPASS\tGAS_CLASS=SNV\n" * 30000)[: 1024 * 1024]
    with open(path, "wb") as f:
        for _ in range(size // len(block)):
            f.write(block)
    s3.upload_file(path, "results", "u1/job-1~big.annot.vcf")
    os.remove(path)
    db.put_item(TableName="users", Item={"user_id": {"S": "u1"}, "name": {"S": "Ada"}, "email": {"S": "a@example.org"}, "role": {"S": "free_user"}})
    db.put_item(TableName="annotations", Item={"job_id": {"S": "job-1"}, "user_id": {"S": "u1"}, "job_status": {"S": "COMPLETED"},
                                               "s3_results_bucket": {"S": "results"}, "s3_key_result_file": {"S": "u1/job-1~big.annot.vcf"},
                                               "complete_time": {"N": "1700000000"}})
elif step == "upgrade":
    db.update_item(TableName="users", Key={"user_id": {"S": "u1"}}, UpdateExpression="SET #r = :p",
                   ExpressionAttributeNames={"#r": "role"}, ExpressionAttributeValues={":p": {"S": "premium_user"}})
elif step == "wait-job":
    item = db.get_item(TableName="annotations", Key={"job_id": {"S": "job-1"}}, ConsistentRead=True)["Item"]
    job_id, archive_id = item["retrieval_id"]["S"], item["results_file_archive_id"]["S"]
    while not glacier.describe_job(vaultName="gas", jobId=job_id)["Completed"]:
        time.sleep(0.5)
    message = json.dumps({"Action": "ArchiveRetrieval", "ArchiveId": archive_id, "Completed": True, "JobDescription": "job-1",
                          "JobId": job_id, "StatusCode": "Succeeded", "Tier": "Expedited", "VaultARN": "arn:aws:glacier:us-east-1:123456789012:vaults/gas"})
    print(message)
elif step == "check":
    item = db.get_item(TableName="annotations", Key={"job_id": {"S": "job-1"}}, ConsistentRead=True)["Item"]
    head = s3.head_object(Bucket="results", Key="u1/job-1~big.annot.vcf")
    print(f"final state {item['results_storage']['S']}, restored object {head['ContentLength']} bytes (expected {size})")
    sys.exit(0 if head["ContentLength"] == size and item["results_storage"]["S"] == "RESTORED" else 1)
