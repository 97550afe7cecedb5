"""The recipient's and the provider's side of tests/test_directory_access.py, run with the Python of
the moto virtualenv (boto3 lives there, not in the suite's environment). One command per run; prints
one JSON object."""

from __future__ import annotations

import json
import sys

import boto3
from botocore.config import Config
from botocore.exceptions import ClientError

REGION = "us-east-1"


def _client(service: str, endpoint: str, key: str, secret: str, token: str | None = None):
    return boto3.client(
        service,
        endpoint_url=endpoint,
        region_name=REGION,
        aws_access_key_id=key,
        aws_secret_access_key=secret,
        aws_session_token=token,
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 1}),
    )


def setup(endpoint: str, role_policy: str, objects: list[str]) -> dict:
    """With moto's auth off: an admin user and key, the role the server assumes (its own policy is
    the session policy the server sends, since moto enforces role policies only), a bucket and
    objects."""
    iam = _client("iam", endpoint, "bootstrap", "bootstrap")
    iam.create_user(UserName="provider")
    iam.put_user_policy(
        UserName="provider",
        PolicyName="all",
        PolicyDocument=json.dumps(
            {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}
        ),
    )
    key = iam.create_access_key(UserName="provider")["AccessKey"]
    trust = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "arn:aws:iam::123456789012:user/provider"},
                "Action": "sts:AssumeRole",
            }
        ],
    }
    iam.create_role(RoleName="reader", AssumeRolePolicyDocument=json.dumps(trust))
    iam.put_role_policy(RoleName="reader", PolicyName="table", PolicyDocument=role_policy)
    s3 = _client("s3", endpoint, "bootstrap", "bootstrap")
    s3.create_bucket(Bucket="lake")
    for o in objects:
        s3.put_object(Bucket="lake", Key=o, Body=("content of " + o).encode())
    return {"keyId": key["AccessKeyId"], "secret": key["SecretAccessKey"]}


def read(endpoint: str, key: str, secret: str, token: str, keys: list[str]) -> dict:
    """GetObject of each key and GetCallerIdentity with the vended credentials."""
    s3 = _client("s3", endpoint, key, secret, token)
    out: dict = {}
    for k in keys:
        try:
            out[k] = s3.get_object(Bucket="lake", Key=k)["Body"].read().decode()
        except ClientError as e:
            out[k] = "error " + e.response["Error"]["Code"]
    for k in ("PutObject",):
        try:
            s3.put_object(Bucket="lake", Key=keys[0] + ".new", Body=b"x")
            out[k] = "allowed"
        except ClientError as e:
            out[k] = "error " + e.response["Error"]["Code"]
    out["arn"] = _client("sts", endpoint, key, secret, token).get_caller_identity()["Arn"]
    return out


def upload(endpoint: str, key: str, secret: str, files: list[list[str]]) -> dict:
    """PutObject of each local file under its key: the provider copying a Delta table to S3."""
    s3 = _client("s3", endpoint, key, secret)
    for local, k in files:
        with open(local, "rb") as f:
            s3.put_object(Bucket="lake", Key=k, Body=f.read())
    return {"uploaded": len(files)}


if __name__ == "__main__":
    args = json.loads(sys.argv[2])
    commands = {"setup": setup, "read": read, "upload": upload}
    print(json.dumps(commands[sys.argv[1]](**args)))
