"""A real server process made in milliseconds: a child forked from an app already built,
serving on a socket the parent bound on 127.0.0.1 (tests/test_crash.py, the API fuzz)."""

from __future__ import annotations

import gc
import logging
import os
import signal
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


def start(app, backlog: int = 64) -> tuple[int, int]:
    """Fork a server child of `app` on a free port of 127.0.0.1: (its pid, the port). The
    child holds the only copy of the listening socket, so its death resets waiting
    connections. The caller ends it with stop()."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(backlog)
    pid = os.fork()
    if pid == 0:
        serve(app, listener)
    port = listener.getsockname()[1]
    listener.close()
    return pid, port


def stop(pid: int) -> None:
    """Kill a server child with SIGKILL and reap it."""
    os.kill(pid, signal.SIGKILL)
    os.waitpid(pid, 0)
