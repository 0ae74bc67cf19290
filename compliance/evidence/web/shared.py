"""The external auditor's side of a share link: no account, every use logged.

The child blueprint `evidence.shared` (endpoints `evidence.shared.view` ...), at /shared/."""

from __future__ import annotations

from flask import Blueprint, render_template, request

from compliance.core import clock, uow
from compliance.core.http import attachment, writes, writes_later
from compliance.core.storage import get_store
from compliance.evidence import services

# Mounted inside `evidence`, which has no prefix of its own: the address stays /shared/.
bp = Blueprint("shared", __name__, url_prefix="/shared")


def _use(token: str, action: str):
    return services.use_link(token, action=action, today=clock.today(),
                             address=request.remote_addr, user_agent=request.user_agent.string)


@bp.get("/<token>")
@writes
def view(token: str):
    """What the link gives access to, and the download button."""
    link = _use(token, "view")
    return render_template("evidence/shared.html", link=link, pack=link.pack, token=token)


@bp.get("/<token>/download")
@writes_later
def download(token: str):
    """The pack's PDF through the link.

    The file is read and its hash checked while the request only reads; the write lock is
    taken afterwards, just to log the use (the link is checked again under it)."""
    link = services.live_link(token, today=clock.today())
    data, reference = get_store().read(link.pack.blob_sha256), link.pack.reference
    uow.begin_writing()
    _use(token, "download")
    return attachment(data, "pdf", reference)
