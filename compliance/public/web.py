"""Read-only public register: documents flagged public, in their effective revision."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from compliance.core.extensions import db
from compliance.core.http import attachment, writes
from compliance.core.pdf import Stamp, stamp_pdf
from compliance.core.storage import get_store
from compliance.documents.models import Document, Revision
from compliance.documents.reading import log_download

bp = Blueprint("public", __name__, url_prefix="/public")


def _published():
    return (select(Document, Revision)
            .join(Revision, (Revision.document_id == Document.id)
                  & (Revision.status == "effective"))
            .where(Document.is_public.is_(True), Document.status == "effective"))


@bp.get("/", endpoint="register")
def index():
    """Every public document in force."""
    rows = db.session.execute(_published().order_by(Document.code)).all()
    return render_template("public/register.html", rows=rows)


@bp.get("/<code>")
@writes
def download(code: str):
    """The public copy of a document in force, marked as an information copy."""
    row = db.session.execute(_published().where(Document.code == code[:40])).first()
    if row is None:
        abort(404)
    document, revision = row
    data = get_store().read(revision.blob_sha256)
    if revision.file_kind == "pdf":
        data = stamp_pdf(data, Stamp(
            header=f"{document.code} · {revision.label}",
            footer=_("Public information copy · UNCONTROLLED WHEN PRINTED")))
    log_download(None, revision, "public")
    return attachment(data, revision.file_kind, document.code)


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
