"""Read-only public registers: documents flagged public, in their effective revision, one
register per organisation (`/public/<org-code>/`) and an index of them all (`/public/`).

With one organisation `/public/` is its register, as it always was; once there are several it
lists every organisation's register. `/public/<code>` is still a document of the reader's
organisation (else the default one's), as links printed before there were several say; a
code that is an organisation's sends to that organisation's register."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_limiter.util import get_remote_address
from sqlalchemy import func, select

from compliance.core import clock, tenancy, uow
from compliance.core.collation import sort_key
from compliance.core.extensions import db, limiter
from compliance.core.files import JPEG, PNG, UnacceptableFile, detect
from compliance.core.http import attachment
from compliance.core.storage import get_store
from compliance.documents.models import Document, Revision
from compliance.documents.services import copies, renditions
from compliance.org.models import Organisation
from compliance.public import queries
from compliance.quality.objectives import queries as objective_queries
from compliance.scope import handling_queries
from compliance.scope import queries as scope_queries

bp = Blueprint("public", __name__, url_prefix="/public")
# Cards a page of the register shows: a district publishes some 300 procedures.
PAGE_SIZE = 50


def _limit_message() -> str:
    return _("You have downloaded many files in a short time. Wait a minute, then try again.")


def _download_limit():
    # One budget for both addresses of a download (shared scope).
    return limiter.shared_limit(lambda: current_app.config["PUBLIC_DOWNLOAD_LIMIT"],
                                scope="public-download", key_func=get_remote_address,
                                error_message=_limit_message)


def _organisation(org_code: str) -> Organisation:
    found = db.session.scalar(select(Organisation).where(Organisation.code == org_code[:32]))
    if found is None:
        abort(404)
    return found


def _register_page(organisation: Organisation, own_address: bool = True):
    """One organisation's register, its policy at the head when published (ISO 9001 5.2.2 c),
    found by words of a code or title and by department (a plain GET form: it works without
    JavaScript), a page of cards at a time. At `/public/` (one organisation) the documents
    keep the addresses printed before there were several (`/public/<code>`)."""
    # Anonymous readers act for no organisation: the policy is looked up in this one's.
    with tenancy.acting_for(organisation.id):
        rows = db.session.execute(queries.published(organisation.id)
                                  .order_by(Document.code)).all()
        policy = objective_queries.policy_in_force()
        announcement = scope_queries.public_announcement(organisation.id)
        scope = scope_queries.public_scope(organisation.id)
        on_time = handling_queries.by_procedure(clock.today(), organisation.id)
    if policy is not None and not policy.document.is_public:
        policy = None
    locale = str(get_locale() or "vi")
    departments = sorted({document.department for document, _revision in rows},
                         key=lambda department: sort_key(department.name(locale)))
    words = request.args.get("q", "").strip()[:100]
    department_id = request.args.get("department", type=int)
    found = [row for row in rows if queries.matches(row[0], words, department_id)]
    page = max(request.args.get("page", 1, type=int), 1)

    def link_of(code: str) -> str:
        if own_address:
            return url_for("public.organisation_download", org_code=organisation.code,
                           code=code)
        return url_for("public.download", code=code)

    def here(**args) -> str:
        if own_address:
            return url_for("public.organisation_register", org_code=organisation.code, **args)
        return url_for("public.register", **args)

    return render_template("public/register.html", rows=found[(page - 1) * PAGE_SIZE:
                                                              page * PAGE_SIZE],
                           found=len(found), total=len(rows), departments=departments,
                           words=words, department_id=department_id, page=page,
                           more=page * PAGE_SIZE < len(found), policy=policy,
                           policy_link=link_of(policy.document.code) if policy else None,
                           policy_missing_notice=False, organisation=organisation,
                           link_of=link_of, here=here,
                           announcement=announcement, scope=scope, on_time=on_time,
                           org_name=organisation.name(locale))


@bp.get("/", endpoint="register")
def index():
    """One organisation: its register. Several: every organisation's register."""
    count = db.session.scalar(select(func.count(Organisation.id)))
    if count <= 1:
        return _register_page(db.session.get(Organisation, queries.readers_organisation_id()),
                              own_address=False)
    published = _published_counts()
    rows = db.session.scalars(select(Organisation).order_by(Organisation.code)).all()
    return render_template("public/index.html", organisations=rows, published=published)


def _published_counts() -> dict[int, int]:
    """How many documents each organisation has in its public register (one grouped query)."""
    with tenancy.across_organisations():
        return dict(db.session.execute(
            select(Document.organisation_id, func.count(Document.id.distinct()))
            .join(Revision, (Revision.document_id == Document.id)
                  & (Revision.status == "effective") & Revision.blob_destroyed_at.is_(None))
            .where(Document.is_public.is_(True), Document.status == "effective")
            .group_by(Document.organisation_id)).all())


@bp.get("/<org_code>/", endpoint="organisation_register")
def organisation_register(org_code: str):
    """One organisation's public register."""
    return _register_page(_organisation(org_code))


@bp.get("/<code>")
@_download_limit()
def download(code: str):
    """A public document of the reader's organisation (else the default one's), by the
    address printed before there were several; an organisation's code sends to its
    register."""
    if db.session.scalar(select(Organisation.id).where(Organisation.code == code[:32])):
        return redirect(url_for("public.organisation_register", org_code=code[:32]))
    return _download(queries.readers_organisation_id(), code)


@bp.get("/<org_code>/<code>", endpoint="organisation_download")
@_download_limit()
def organisation_download(org_code: str, code: str):
    """A public document of one organisation."""
    return _download(_organisation(org_code).id, code)


def _download(organisation_id: int, code: str):
    """The public copy of a document in force, marked as an information copy (an office
    file's is made from its PDF rendition). Anyone may ask for it, so it is made once per
    revision (and language) and read back afterwards; the stamping runs in a read
    transaction; only the log's insert writes."""
    # The whole download acts for the register's organisation, whoever is signed in: the
    # copy's log and its trail event belong to it.
    with tenancy.acting_for(organisation_id):
        row = db.session.execute(queries.published(organisation_id)
                                 .where(Document.code == code[:40])).first()
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


@bp.get("/<org_code>/announcement.pdf", endpoint="announcement_pdf")
@_download_limit()
def announcement_pdf(org_code: str):
    """The decision announcing conformity in force, as issued (its stored PDF, in
    Vietnamese): what QĐ 19/2014 asks the agency to post."""
    organisation = _organisation(org_code)
    with tenancy.acting_for(organisation.id):
        row = scope_queries.public_announcement(organisation.id)
    if row is None or not row.pdf_sha256:
        abort(404)
    return attachment(get_store().open(row.pdf_sha256), "pdf",
                      f"quyet-dinh-cong-bo-{row.number:02d}-{row.issued_on.year}")


@bp.get("/logos/<int:organisation_id>", endpoint="logo")
def logo(organisation_id: int):
    """An organisation's logo, read from the store by the digest its row holds (nothing the
    visitor sends reaches a path)."""
    organisation = db.session.get(Organisation, organisation_id)
    if organisation is None or not organisation.logo_sha256:
        abort(404)
    data = get_store().read(organisation.logo_sha256)
    try:
        kind = detect(data)
    except UnacceptableFile:
        abort(404)
    if kind not in (PNG, JPEG):
        abort(404)
    return Response(data, mimetype=kind.mimetype, headers={
        "X-Content-Type-Options": "nosniff", "Content-Security-Policy": "default-src 'none'",
        "Cache-Control": "private, max-age=3600"})


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
