"""localstripe (the Stripe fake) for the local stack: bound to 127.0.0.1 only (its own CLI binds
every interface and has no host flag), from an empty store, keeping its state in STATE_FILE
instead of the /tmp/localstripe.pickle every instance shares. It exits when PARENT_PID (the local
stack or the test process that started it) is gone, however that one ended.

Usage: .venv-web/bin/python scripts/localstripe_server.py PORT STATE_FILE PARENT_PID
"""

import os
import pickle
import sys
import threading
import time

from aiohttp import web
import localstripe.resources
from localstripe.server import app

port, state_file, parent = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])


def exit_with_parent():
    while True:
        try:
            os.kill(parent, 0)
        except ProcessLookupError:
            os._exit(0)
        time.sleep(1)


threading.Thread(target=exit_with_parent, daemon=True).start()


def dump_to_own_file(store):
    with open(state_file, "wb") as out:
        pickle.dump(store, out, protocol=pickle.HIGHEST_PROTOCOL)


# The store is never loaded from disk (try_load_from_disk is not called), so it starts empty.
localstripe.resources.Store.dump_to_disk = dump_to_own_file
web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)
