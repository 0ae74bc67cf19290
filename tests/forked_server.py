"""A real server process made in milliseconds: a child forked from an app already built,
serving on a socket the parent bound on 127.0.0.1 (tests/test_crash.py, the API fuzz)."""

from __future__ import annotations

import gc
import logging
import os
import socket
import sys
import traceback

from werkzeug.serving import make_server


def serve(app, listener: socket.socket) -> None:
    """The server child: serve until killed; never return into pytest."""
    try:
        gc.disable()  # a collection would touch (and so copy) every page shared with the parent
        logging.getLogger("werkzeug").setLevel(logging.ERROR)
        make_server("127.0.0.1", 0, app, threaded=True, fd=listener.fileno()).serve_forever()
    except BaseException:  # noqa: BLE001 - reported, then the child ends
        traceback.print_exc(file=sys.stderr)
    finally:
        os._exit(1)
