"""Runs moto on a loopback port for GAS's tests and local runs.

Prints one line, `moto listening on http://127.0.0.1:PORT`, once it answers, then serves until
SIGTERM/SIGINT or until the process named by --parent-pid is gone (so a crashed test run never
leaves a server behind).
"""
import argparse
import os
import signal
import sys
import threading
import time

from moto.moto_server.threaded_moto_server import ThreadedMotoServer


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--parent-pid", type=int, default=0, help="exit when this process is gone")
    args = parser.parse_args()

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=args.port, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    print(f"moto listening on http://{host}:{port}", flush=True)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    while not stop.wait(0.5):
        if args.parent_pid and not _alive(args.parent_pid):
            break
    server.stop()
    return 0


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


if __name__ == "__main__":
    sys.exit(main())
