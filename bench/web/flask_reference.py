"""The reference for the web front benchmark: the job list and details pages of the original GAS's
stack (Flask + boto3), doing the same DynamoDB calls as GAS's front for the same session cookie:
GetItem of the session (the SHA-256 of the cookie) and of the user, both consistent, then the
user-index Query (following LastEvaluatedKey) or a consistent GetItem of the job. Run with gunicorn:

    gunicorn -w 2 -k gthread --threads 8 -b 127.0.0.1:PORT flask_reference:app

It reads the same variables as gas-web (ANNOTATIONS_TABLE, USERS_TABLE, SESSIONS_TABLE, USER_ID_INDEX,
AWS_ENDPOINT_URL, AWS_REGION, credentials).
"""

import hashlib
import json
import os
import time
from datetime import datetime
from zoneinfo import ZoneInfo

import boto3
from flask import Flask, abort, redirect, render_template_string, request

app = Flask(__name__)
db = boto3.client("dynamodb", endpoint_url=os.environ.get("AWS_ENDPOINT_URL"), region_name=os.environ.get("AWS_REGION", "us-east-1"))
ANNOTATIONS = os.environ["ANNOTATIONS_TABLE"]
USERS = os.environ["USERS_TABLE"]
SESSIONS = os.environ["SESSIONS_TABLE"]
INDEX = os.environ.get("USER_ID_INDEX", "user_id_index")
ZONE = ZoneInfo(os.environ.get("DISPLAY_TIME_ZONE", "America/Chicago"))

LAYOUT = """<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · GAS</title><link rel="stylesheet" href="/static/gas.css"></head><body>
<header><nav><a href="/">GAS</a><a href="/annotate">Annotate</a><a href="/annotations">My annotations</a><a href="/profile">{{ user.name.S }}</a></nav></header>
<main>{% block content %}{% endblock %}</main></body></html>"""
LIST = LAYOUT.replace("{% block content %}{% endblock %}", """<h1>My Annotations</h1>
<p><a class="button" href="/annotate">Request New Annotation</a></p>
<table><thead><tr><th>Request ID</th><th>Request Time</th><th>VCF File Name</th><th>Status</th></tr></thead><tbody>
{% for job in jobs %}<tr><td><a href="/annotations/{{ job.job_id.S }}">{{ job.job_id.S }}</a></td><td>{{ when(job.submit_time.N) }}</td>
<td>{{ job.input_file_name.S }}</td><td><span class="status {{ job.job_status.S }}">{{ job.job_status.S }}</span></td></tr>
{% endfor %}</tbody></table>""")
DETAILS = LAYOUT.replace("{% block content %}{% endblock %}", """<h1>Annotation Details</h1><section class="card"><dl>
<dt>Request ID</dt><dd>{{ job.job_id.S }}</dd><dt>Request Time</dt><dd>{{ when(job.submit_time.N) }}</dd>
<dt>VCF Input File</dt><dd><a href="/annotations/{{ job.job_id.S }}/input">{{ job.input_file_name.S }}</a></dd>
<dt>Status</dt><dd><span class="status {{ job.job_status.S }}">{{ job.job_status.S }}</span></dd>
{% if job.complete_time %}<dt>Complete Time</dt><dd>{{ when(job.complete_time.N) }}</dd>
<dt>Annotated Results File</dt><dd><a href="/annotations/{{ job.job_id.S }}/result">download</a></dd>{% endif %}
</dl></section><p><a href="/annotations">← back to annotations list</a></p>""")


def when(epoch):
    return datetime.fromtimestamp(int(epoch), ZONE).strftime("%Y-%m-%d @ %H:%M:%S %Z")


def current_user():
    cookie = request.cookies.get("gas_session")
    if not cookie:
        return None
    key = hashlib.sha256(cookie.encode()).hexdigest()
    session = db.get_item(TableName=SESSIONS, Key={"session_id": {"S": key}}, ConsistentRead=True).get("Item")
    if not session or int(session["expires_at"]["N"]) <= time.time():
        return None
    user_id = json.loads(session["data"]["S"]).get("userID")
    if not user_id:
        return None
    return db.get_item(TableName=USERS, Key={"user_id": {"S": user_id}}, ConsistentRead=True).get("Item")


@app.get("/annotations")
def annotations():
    user = current_user()
    if user is None:
        return redirect("/login?next=%2Fannotations", 303)
    jobs, start = [], None
    while True:
        extra = {"ExclusiveStartKey": start} if start else {}
        page = db.query(TableName=ANNOTATIONS, IndexName=INDEX, KeyConditionExpression="user_id = :u",
                        ExpressionAttributeValues={":u": user["user_id"]}, **extra)
        jobs += page.get("Items", [])
        start = page.get("LastEvaluatedKey")
        if not start:
            break
    jobs.sort(key=lambda job: (int(job["submit_time"]["N"]), job["job_id"]["S"]), reverse=True)
    return render_template_string(LIST, title="My Annotations", user=user, jobs=jobs, when=when)


@app.get("/annotations/<job_id>")
def details(job_id):
    user = current_user()
    if user is None:
        return redirect("/login", 303)
    job = db.get_item(TableName=ANNOTATIONS, Key={"job_id": {"S": job_id}}, ConsistentRead=True).get("Item")
    if job is None:
        abort(404)
    if job["user_id"]["S"] != user["user_id"]["S"]:
        abort(403)
    return render_template_string(DETAILS, title="Annotation Details", user=user, job=job, when=when)
