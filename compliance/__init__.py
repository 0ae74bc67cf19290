"""compliance: ISO 9001 document and process compliance manager."""

from __future__ import annotations

import gc


def __getattr__(name: str):
    # `create_app` is looked up lazily: importing any one module of the package (the PDF
    # worker child, a migration) must not import every domain and its web layer.
    if name == "create_app":
        # Importing the app makes some 300 modules, their classes and mappers: objects that
        # live as long as the process. Collections in between only walk them again (a fifth
        # of the import's CPU, measured in docs/performance.md), so none run until it is done.
        paused = gc.isenabled()
        gc.disable()
        try:
            from compliance.app import create_app
        finally:
            if paused:
                gc.enable()
        return create_app
    raise AttributeError(name)
