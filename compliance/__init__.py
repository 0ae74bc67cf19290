"""compliance: ISO 9001 document and process compliance manager."""

from __future__ import annotations


def __getattr__(name: str):
    # `create_app` is looked up lazily: importing any one module of the package (the PDF
    # worker child, a migration) must not import every domain and its web layer.
    if name == "create_app":
        from compliance.app import create_app

        return create_app
    raise AttributeError(name)
