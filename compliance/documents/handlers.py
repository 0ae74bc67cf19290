"""The document domain's signal receivers, connected by `documents.web.register(app)`.

Signals received:
    revision_published (sender: the Revision now in force; document=Document, actor=User or
    None, superseded=the Revision it replaced or None), sent by
    services.approval.make_effective: the readers are asked to acknowledge it, and the
    holders of controlled copies of the superseded revision to destroy or return them.
"""

from __future__ import annotations

from compliance.core import signals
from compliance.documents.services.acknowledgements import request_acknowledgements
from compliance.documents.services.recalls import recall_copies


def on_revision_published(revision, *, document, actor=None, superseded=None,
                          **_extra) -> None:
    """Ask every reader of the document to confirm they read the revision now in force, and
    every holder of a copy of the one it replaced to destroy or return that copy."""
    request_acknowledgements(revision, document)
    if superseded is not None:
        recall_copies(actor, superseded, revision, document)


def connect() -> None:
    """Connect this domain's receivers (idempotent: blinker keeps one per function)."""
    signals.revision_published.connect(on_revision_published)
