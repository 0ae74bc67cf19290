"""The document domain's signal receivers, connected by `documents.web.register(app)`.

Signals received:
    revision_published (sender: the Revision now in force; document=Document, actor=User or
    None), sent by services.approval.make_effective: the readers are asked to acknowledge it.
"""

from __future__ import annotations

from compliance.core import signals
from compliance.documents.services.acknowledgements import request_acknowledgements


def on_revision_published(revision, *, document, actor=None, **_extra) -> None:
    """Ask every reader of the document to confirm they read the revision now in force."""
    request_acknowledgements(revision, document)


def connect() -> None:
    """Connect this domain's receivers (idempotent: blinker keeps one per function)."""
    signals.revision_published.connect(on_revision_published)
