"""Starting a queued pack's worker once its row is committed (the worker reads that row)."""

from __future__ import annotations

from functools import partial

from flask import current_app
from flask_babel import gettext as _

from compliance.core import uow
from compliance.evidence import services, worker


def after_commit(pack) -> None:
    """Start the pack's worker after the request's commit."""
    # Ids, not the row: reading an expired row after the commit would open a transaction.
    uow.after_commit(partial(_launch, current_app._get_current_object(), pack.id,
                             pack.job_key))


def _launch(app, pack_id: int, key: str) -> None:
    """Start the build's worker; a worker that cannot start marks its pack failed."""
    try:
        worker.launch(app, pack_id, key)
    except OSError as error:
        with uow.unit_of_work():
            services.not_started(pack_id, _("The build could not be started: %(why)s",
                                            why=str(error)[:200]))
