"""Read-only public register: documents flagged public, in their effective revision."""

from __future__ import annotations

from flask import Blueprint, abort, render_template
from sqlalchemy import select

from compliance.core import uow
from compliance.core.extensions import db
from compliance.core.http import attachment
from compliance.documents.models import Document, Revision
from compliance.documents.services import copies

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
def download(code: str):
    """The public copy of a document in force, marked as an information copy. Anyone may ask
    for it, so the stamping runs in a read transaction; only the log's insert writes."""
    row = db.session.execute(_published().where(Document.code == code[:40])).first()
    if row is None:
        abort(404)
    document, revision = row
    stamp = copies.public_stamp(document, revision)
    stem, kind, revision_id = document.code, revision.file_kind, revision.id
    data = copies.copy_of(revision.blob_sha256, kind, stamp)
    uow.begin_writing()
    copies.record_copy(None, revision_id, "public")
    return attachment(data, kind, stem)


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
