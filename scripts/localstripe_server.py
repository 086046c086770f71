"""localstripe (the Stripe fake) for the local stack: bound to 127.0.0.1 only (its own CLI binds
every interface and has no host flag), from an empty store, keeping its state in STATE_FILE
instead of the /tmp/localstripe.pickle every instance shares.

Usage: .venv-web/bin/python scripts/localstripe_server.py PORT STATE_FILE
"""

import pickle
import sys

from aiohttp import web
import localstripe.resources
from localstripe.server import app

port, state_file = int(sys.argv[1]), sys.argv[2]


def dump_to_own_file(store):
    with open(state_file, "wb") as out:
        pickle.dump(store, out, protocol=pickle.HIGHEST_PROTOCOL)


# The store is never loaded from disk (try_load_from_disk is not called), so it starts empty.
localstripe.resources.Store.dump_to_disk = dump_to_own_file
web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)
