"""Cold start of the WebHandler bootstrap on a minimal Runtime API: exec -> first GET /next (init),
and the first HTTP API event (a logged-in job details page) -> its response posted back (first
request). Medians over ROUNDS fresh processes. The AWS calls go to the endpoint in ENV_FILE.

Usage: cold_start.py BOOTSTRAP ENV_FILE EVENT_FILE [ROUNDS]
"""

import json
import os
import statistics
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

bootstrap, env_file, event_file = sys.argv[1], sys.argv[2], sys.argv[3]
rounds = int(sys.argv[4]) if len(sys.argv) > 4 else 10
event = open(event_file, "rb").read()
base_env = dict(line.split("=", 1) for line in open(env_file).read().splitlines() if "=" in line)


class Round:
    def __init__(self):
        self.first_next = None
        self.answered = None
        self.answer = None
        self.done = threading.Event()
        self.served = False


current = Round()


class RuntimeAPI(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_GET(self):
        now = time.perf_counter()
        if current.first_next is None:
            current.first_next = now
        if current.served:
            time.sleep(30)  # the next long poll: never answered in this round
            return
        current.served = True
        self.send_response(200)
        for name, value in [("Lambda-Runtime-Aws-Request-Id", "req-1"), ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000)),
                            ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:WebFunction"),
                            ("Content-Type", "application/json"), ("Content-Length", str(len(event)))]:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(event)

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        current.answered = time.perf_counter()
        current.answer = (self.path, body)
        self.send_response(202)
        self.send_header("Content-Length", "2")
        self.end_headers()
        self.wfile.write(b"{}")
        current.done.set()


server = ThreadingHTTPServer(("127.0.0.1", 0), RuntimeAPI)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
env = dict(base_env, AWS_LAMBDA_RUNTIME_API=f"127.0.0.1:{server.server_address[1]}", AWS_LAMBDA_FUNCTION_NAME="WebFunction",
           AWS_LAMBDA_FUNCTION_MEMORY_SIZE="512", AWS_LAMBDA_LOG_FORMAT="Text", LOG_LEVEL="warning")
inits, firsts, totals = [], [], []
for _ in range(rounds):
    current = Round()
    started = time.perf_counter()
    process = subprocess.Popen([bootstrap], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if not current.done.wait(30):
        process.kill()
        sys.exit("cold_start: no response within 30 s")
    process.kill()
    process.wait()
    path, body = current.answer
    answer = json.loads(body)
    if not path.endswith("/response") or answer.get("statusCode") != 200:
        sys.exit(f"cold_start: the first request failed: {path} {body[:300]!r}")
    inits.append((current.first_next - started) * 1000)
    firsts.append((current.answered - current.first_next) * 1000)
    totals.append((current.answered - started) * 1000)
print(json.dumps({"rounds": rounds, "init_ms": round(statistics.median(inits), 2), "first_request_ms": round(statistics.median(firsts), 2),
                  "exec_to_first_answer_ms": round(statistics.median(totals), 2)}))
