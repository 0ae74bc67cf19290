"""Evidence pack choices and their labels in the reader's language: forms, pages, the status
JSON and the pack itself import them from here."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

SCOPE_LABELS = {"department": _l("One department"), "audit": _l("One audit"),
                "clause": _l("One ISO clause (with its sub-clauses)"),
                "organisation": _l("Whole organisation"),
                "subtree": _l("Organisations overseen, each its own section"),
                "inspection": _l("Inspection by the Department of Science and Technology")}
STATE_LABELS = {"queued": _l("Queued"), "building": _l("Building"), "ready": _l("Ready"),
                "failed": _l("Failed")}

# What the worker is doing, by the step code it reports ("render:audits" is "render").
STEP_LABELS = {"queued": _l("Waiting for the worker"), "collect": _l("Reading the records"),
               "documents": _l("Stamping the documents"), "render": _l("Rendering the sections"),
               "contents": _l("Making the contents"), "digests": _l("Merging and hashing"),
               "ready": _l("Ready"), "failed": _l("Failed")}


def step_label(step: str) -> str:
    """The step in the reader's language."""
    return str(STEP_LABELS.get((step or "").split(":")[0], step or ""))
