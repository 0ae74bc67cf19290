"""OpenAPI links between operations (issue 15): what an answer opens next, e.g. a list's
first row to its read, a created action to its read and its update with the `ETag` just
answered. Documented only: clients and the stateful fuzz (tests/api/test_schemathesis.py)
follow them."""

from __future__ import annotations

from compliance.api import PREFIX


def to(path: str, method: str = "get", **parameters: str) -> dict:
    """A link to the operation at `path` under /api/v1 (as the document spells it, with its
    `{parameters}`), each parameter a runtime expression such as `$response.body#/id`."""
    pointer = (PREFIX + path).replace("~", "~0").replace("/", "~1")
    return {"operationRef": f"#/paths/{pointer}/{method}", "parameters": parameters}


def to_change(path: str, method: str, **parameters: str) -> dict:
    """A link to a write on the resource just read or created, sending back its `ETag`."""
    found = to(path, method, **parameters)
    found["parameters"]["header.If-Match"] = "$response.header.ETag"
    return found


def linked(bp, status: int, **links: dict):
    """Document the links of a view's `status` answer."""
    return bp.doc(responses={status: {"links": links}})
