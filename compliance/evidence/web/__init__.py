"""Evidence pack pages: list and build, progress, download, share links, verify.

The blueprint `evidence` has no URL prefix of its own so that its child `evidence.shared`
(web/shared.py) keeps its address under /shared/; the pages here spell out /evidence/.
"""

from __future__ import annotations

from flask import (
    Blueprint,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core import clock, uow
from compliance.core.errors import DomainError
from compliance.core.http import attachment, form_error, writes_later
from compliance.core.storage import get_store
from compliance.evidence import queries, rules, services
from compliance.evidence.forms import BuildForm, ShareForm, VerifyForm
from compliance.evidence.labels import SCOPE_LABELS, STATE_LABELS, step_label
from compliance.evidence.verify import verify_pack
from compliance.evidence.web import launching, shared, subtree

bp = Blueprint("evidence", __name__)
bp.register_blueprint(shared.bp)
bp.register_blueprint(subtree.bp)
PREFIX = "/evidence"
SCOPE_FIELDS = {"department": "department_id", "audit": "audit_id", "clause": "clause_id"}


def _build_form() -> BuildForm:
    form = BuildForm()
    options = queries.choices(current_user, str(get_locale()))
    kinds = ["department", "audit"] + ([] if options["clause"] == [] else
                                       ["clause", "organisation", "inspection"])
    form.scope_kind.choices = [(k, SCOPE_LABELS[k]) for k in kinds]
    for kind, field in SCOPE_FIELDS.items():
        getattr(form, field).choices = [(0, "—")] + options[kind]
    if not form.is_submitted():
        today = clock.today()
        form.period_start.data, form.period_end.data = today.replace(month=1, day=1), today
    return form


def _index_context() -> dict:
    return {"packs": queries.visible_packs(current_user), "state_of": queries.state_of,
            "states": STATE_LABELS, "scopes": SCOPE_LABELS}


@bp.get(f"{PREFIX}/")
@login_required
def index():
    """The packs the user may see, newest first, and the form to build one."""
    rules.ensure_use(current_user)
    return render_template("evidence/index.html", form=_build_form(), **_index_context())


@bp.post(f"{PREFIX}/")
@login_required
def build():
    """Queue a pack, start its worker process, and show its progress."""
    rules.ensure_use(current_user)
    form = _build_form()
    if not form.validate_on_submit():
        return render_template("evidence/index.html", form=form, **_index_context()), 400
    kind = form.scope_kind.data
    scope_id = getattr(form, SCOPE_FIELDS[kind]).data if kind in SCOPE_FIELDS else None
    try:
        pack = services.request_pack(current_user, scope_kind=kind, scope_id=scope_id,
                                     period_start=form.period_start.data,
                                     period_end=form.period_end.data,
                                     locale=str(get_locale()),
                                     include_quality=form.include_quality.data)
    except DomainError as error:
        if error.field == "scope_id":
            # The service names the scope's record; the form has one select per kind.
            error.field = SCOPE_FIELDS.get(kind, "scope_kind")
        return form_error(form, error, "evidence/index.html", **_index_context())
    # The worker reads the pack's row, so it starts only once that row is committed.
    launching.after_commit(pack)
    flash(_("Evidence pack %(reference)s is being built.", reference=pack.reference), "info")
    return redirect(url_for("evidence.detail", pack_id=pack.id))


def _detail_context(pack) -> dict:
    state = queries.state_of(pack)
    return {"pack": pack, "state": state,
            "pack_error": queries.error_of(pack), "states": STATE_LABELS,
            "scopes": SCOPE_LABELS, "today": clock.today(), "step_label": step_label,
            "actions": rules.allowed_actions(current_user, pack),
            # A failed build is built again with the same scope and period (a new pack).
            # (A pack across organisations is built again from its own page.)
            "build_again": state == "failed" and pack.scope_kind != rules.SUBTREE
            and rules.may_build(current_user, pack.department_id),
            "scope_field": SCOPE_FIELDS.get(pack.scope_kind)}


@bp.get(f"{PREFIX}/<int:pack_id>")
@login_required
def detail(pack_id: int):
    """A pack: its progress or result, its share links and every use of them."""
    pack = services.get_pack(current_user, pack_id)
    return render_template("evidence/detail.html", share_form=ShareForm(),
                           **_detail_context(pack))


@bp.get(f"{PREFIX}/<int:pack_id>/status")
@login_required
def status(pack_id: int):
    """The build's state and progress as JSON, polled by the progress bar."""
    return jsonify(queries.status(services.get_pack(current_user, pack_id)))


@bp.get(f"{PREFIX}/<int:pack_id>/download")
@login_required
def download(pack_id: int):
    """The pack's PDF, once ready."""
    pack = services.get_pack(current_user, pack_id)
    if queries.state_of(pack) != "ready":
        raise DomainError(_("This pack is not ready."), status=409)
    return attachment(get_store().read(pack.blob_sha256), "pdf", pack.reference)


@bp.post(f"{PREFIX}/<int:pack_id>/links")
@login_required
def share(pack_id: int):
    """Create a share link; its address is shown once, on the next page."""
    pack = services.get_pack(current_user, pack_id)
    form = ShareForm()
    if not form.validate_on_submit():
        return render_template("evidence/detail.html", share_form=form,
                               **_detail_context(pack)), 400
    try:
        _link, token = services.create_link(current_user, pack,
                                            expires_on=form.expires_on.data,
                                            note=form.note.data or "", today=clock.today())
    except DomainError as error:
        return form_error(form, error, "evidence/detail.html", share_form=form,
                          **_detail_context(pack))
    # Shown once, through the session rather than the URL, so it stays out of access logs.
    flash(_("Share link created. Copy its address now, it is shown only once: %(url)s",
            url=url_for("evidence.shared.view", token=token, _external=True)), "success")
    return redirect(url_for("evidence.detail", pack_id=pack.id))


@bp.post(f"{PREFIX}/<int:pack_id>/links/<int:link_id>/revoke")
@login_required
def revoke(pack_id: int, link_id: int):
    """Stop a share link from working."""
    pack = services.get_pack(current_user, pack_id)
    services.revoke_link(current_user, pack, link_id)
    flash(_("The share link was revoked."), "success")
    return redirect(url_for("evidence.detail", pack_id=pack.id))


@bp.route(f"{PREFIX}/verify", methods=["GET", "POST"])
@login_required
@writes_later
def verify():
    """Upload a pack to check it against its manifest and the records.

    The check (parsing every page, hashing the stored files) runs in a read-only transaction;
    the write lock is taken only to record its outcome."""
    rules.ensure(rules.may_verify(current_user), _("You may not use evidence packs."))
    form = VerifyForm()
    if not form.validate_on_submit():
        return render_template("evidence/verify.html", form=form), \
            400 if form.is_submitted() else 200
    upload = form.file.data
    try:
        data = services.read_pack_upload(upload.stream,
                                         int(current_app.config["EVIDENCE_VERIFY_MAX_MB"]))
    except DomainError as error:
        return form_error(form, error, "evidence/verify.html")
    report = verify_pack(data)
    uow.begin_writing()
    check = services.record_verification(current_user, filename=upload.filename or "pack.pdf",
                                         data=data, report=report)
    return redirect(url_for("evidence.verification", verification_id=check.id))


@bp.get(f"{PREFIX}/verifications/<int:verification_id>")
@login_required
def verification(verification_id: int):
    """The outcome of one verification."""
    check = services.get_verification(current_user, verification_id)
    return render_template("evidence/verification.html", check=check,
                           problems=queries.problems_of(check))


def register(app) -> None:
    """Mount this domain's pages (the share pages are a child blueprint) and tell the menu
    whether to offer evidence packs."""
    app.register_blueprint(bp)
    app.context_processor(lambda: {"may_use_evidence": lambda: rules.may_use(current_user)})
