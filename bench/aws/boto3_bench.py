"""boto3/botocore side of the AWS client benchmark: the same operations as aws-bench."""
import sys
import time

import boto3
import botocore.auth
import botocore.awsrequest
import botocore.credentials
import botocore.session


def signing(iterations: int) -> float:
    creds = botocore.credentials.Credentials("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "token")
    body = b'{"TableName":"annotations","Key":{"job_id":{"S":"0f3c"}},"ConsistentRead":true}'
    start = time.perf_counter()
    for _ in range(iterations):
        request = botocore.awsrequest.AWSRequest(
            method="POST", url="https://dynamodb.eu-west-1.amazonaws.com/", data=body,
            headers={"Content-Type": "application/x-amz-json-1.0", "X-Amz-Target": "DynamoDB_20120810.GetItem"})
        botocore.auth.SigV4Auth(creds, "dynamodb", "eu-west-1").add_auth(request)
    return (time.perf_counter() - start) / iterations * 1e6


def requests(endpoint: str, count: int) -> float:
    client = boto3.client("dynamodb", endpoint_url=endpoint, region_name="eu-west-1",
                          aws_access_key_id="AK", aws_secret_access_key="SK")
    client.get_item(TableName="annotations", Key={"job_id": {"S": "warm"}})
    start = time.perf_counter()
    for index in range(count):
        client.get_item(TableName="annotations", Key={"job_id": {"S": str(index)}}, ConsistentRead=True)
    return count / (time.perf_counter() - start)


if __name__ == "__main__":
    endpoint, count = sys.argv[1], int(sys.argv[2])
    print(f"boto3 sign_us {signing(20000):.2f}")
    print(f"boto3 requests_per_s {requests(endpoint, count):.0f}")
