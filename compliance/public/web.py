"""Read-only public register: documents flagged public, in their effective revision."""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import select

from compliance.core import tenancy, uow
from compliance.core.collation import plain, sort_key
from compliance.core.extensions import db, limiter
from compliance.core.http import attachment
from compliance.documents.models import Document, Revision
from compliance.documents.services import copies, renditions
from compliance.org import organisations
from compliance.quality.objectives import queries as objective_queries

bp = Blueprint("public", __name__, url_prefix="/public")
# Cards a page of the register shows: a district publishes some 300 procedures.
PAGE_SIZE = 50


def _published():
    # One register per organisation: the signed-in person's, else (until each has its own
    # address, /public/<code>) the default organisation's.
    organisation_id = tenancy.current_organisation_id() or organisations.default_organisation_id()
    return (select(Document, Revision)
            .join(Revision, (Revision.document_id == Document.id)
                  & (Revision.status == "effective")
                  & Revision.blob_destroyed_at.is_(None))
            .where(Document.is_public.is_(True), Document.status == "effective",
                   Document.organisation_id == organisation_id))


@bp.get("/", endpoint="register")
def index():
    """Every public document in force, found by words of its code or title and by department
    (a plain GET form: it works without JavaScript), a page of cards at a time."""
    rows = db.session.execute(_published().order_by(Document.code)).all()
    locale = str(get_locale() or "vi")
    departments = sorted({document.department for document, _revision in rows},
                         key=lambda department: sort_key(department.name(locale)))
    words = request.args.get("q", "").strip()[:100]
    department_id = request.args.get("department", type=int)
    found = [row for row in rows if _matches(row[0], words, department_id)]
    page = max(request.args.get("page", 1, type=int), 1)
    shown = found[(page - 1) * PAGE_SIZE:page * PAGE_SIZE]
    # The quality policy heads the register when it is published (ISO 9001 5.2.2 c).
    policy = objective_queries.policy_in_force()
    if policy is not None and not policy.document.is_public:
        policy = None
    link = url_for("public.download", code=policy.document.code) if policy else None
    return render_template("public/register.html", rows=shown, found=len(found),
                           total=len(rows), departments=departments, words=words,
                           department_id=department_id, page=page,
                           more=page * PAGE_SIZE < len(found), policy=policy,
                           policy_link=link, policy_missing_notice=False)


def _matches(document: Document, words: str, department_id: int | None) -> bool:
    """Whether a document is in the department asked for and holds every word asked for,
    in its code or either title, tones and case aside ("quy trinh" finds "Quy trình")."""
    if department_id is not None and document.department_id != department_id:
        return False
    text = plain(" ".join((document.code, document.title_vi, document.title_en or "")))
    return all(word in text for word in plain(words).split())


@bp.get("/<code>")
@limiter.limit(lambda: current_app.config["PUBLIC_DOWNLOAD_LIMIT"], key_func=get_remote_address,
               scope="public-download",
               error_message=lambda: _("You have downloaded many files in a short time. Wait "
                                       "a minute, then try again."))
def download(code: str):
    """The public copy of a document in force, marked as an information copy (an office
    file's is made from its PDF rendition). Anyone may ask for it, so it is made once per
    revision (and language) and read back afterwards; the stamping runs in a read
    transaction; only the log's insert writes."""
    row = db.session.execute(_published().where(Document.code == code[:40])).first()
    if row is None:
        abort(404)
    document, revision = row
    stamp = copies.public_stamp(document, revision)
    sha256, kind = renditions.source_of(revision)
    stem, revision_id = document.code, revision.id
    data, made = copies.public_copy(revision_id, sha256, kind, stamp)
    uow.begin_writing()
    if made is not None:
        copies.keep_public_copy(revision_id, stamp, made, len(data))
    copies.record_copy(None, revision_id, "public")
    return attachment(data, kind, stem)


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
