"""Corrective-action pages: register, raise, and the corrective action's own page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.audit_trail.services import history
from compliance.audits.services import grades
from compliance.auth.models import User
from compliance.auth.permissions import can
from compliance.capa import export, queries, services, verification
from compliance.capa.forms import (
    ACTION_LABELS,
    CHECK_LABELS,
    ISHIKAWA_LABELS,
    SOURCE_LABELS,
    STATE_LABELS,
    ActionForm,
    AnalysisForm,
    CheckForm,
    CloseForm,
    ContainForm,
    DecisionForm,
    DoneForm,
    FileForm,
    RaiseForm,
)
from compliance.capa.models import CorrectiveFile
from compliance.capa.services import connect_signals
from compliance.core import clock
from compliance.core.errors import DomainError, NotFound, PermissionDenied
from compliance.core.extensions import db
from compliance.core.http import attachment
from compliance.core.storage import get_store
from compliance.org import queries as org_queries

bp = Blueprint("capa", __name__, url_prefix="/corrective-actions")
LABELS = {"states": STATE_LABELS, "sources": SOURCE_LABELS, "ishikawa": ISHIKAWA_LABELS,
          "action_states": ACTION_LABELS, "check_states": CHECK_LABELS}


def _readable(ca_id: int, for_update: bool = False):
    try:
        ca = services.get(ca_id, for_update=for_update)
    except NotFound:
        # Those who read only some corrective actions learn nothing from a missing one.
        if not can(current_user, "corrective.read"):
            raise PermissionDenied(_("You may not open this corrective action.")) from None
        raise
    if not services.may_read(current_user, ca):
        raise PermissionDenied(_("You may not open this corrective action."))
    return ca


def _back(ca, anchor: str = ""):
    return redirect(url_for("capa.detail", ca_id=ca.id) + anchor)


def _filters() -> queries.Filters:
    args = request.args
    return queries.Filters(department_id=args.get("department", type=int),
                           source=args.get("source") or None, grade=args.get("grade") or None,
                           status=args.get("status") or None,
                           overdue=args.get("overdue") == "1")


@bp.get("/", endpoint="register")
@login_required
def register_page():
    """Every corrective action the user may see, with filters and ageing."""
    filters, today = _filters(), clock.today()
    return render_template("capa/register.html", rows=queries.register(current_user, filters,
                                                                        today),
                           filters=filters, today=today, is_overdue=queries.is_overdue,
                           departments=org_queries.department_choices(str(get_locale())),
                           grades=grades.all_grades(), **LABELS,
                           may_raise=services.managed_department_ids(current_user) != set())


@bp.get("/export.<any(csv, xlsx):fmt>")
@login_required
def export_register(fmt: str):
    """The register, as filtered, as CSV or XLSX."""
    today = clock.today()
    rows = queries.register(current_user, _filters(), today)
    return export.response(fmt, rows, today, str(get_locale()))


def _raise_form() -> RaiseForm:
    locale = str(get_locale())
    form = RaiseForm()
    allowed = services.managed_department_ids(current_user)
    form.department_id.choices = [(i, label) for i, label in
                                  org_queries.department_choices(locale)
                                  if allowed is None or i in allowed]
    form.grade.choices = [(g.code, g.name(locale)) for g in grades.all_grades()]
    form.verifier_id.choices = [(0, "—")] + [(u.id, u.name)
                                             for u in services.verifier_choices()]
    return form


@bp.route("/new", methods=["GET", "POST"])
@login_required
def create():
    """Raise a nonconformity by hand (complaint, process problem, other)."""
    if services.managed_department_ids(current_user) == set():
        raise PermissionDenied(_("Only a coordinator or a department head raises corrective "
                                 "actions."))
    form = _raise_form()
    if form.validate_on_submit():
        try:
            ca = services.raise_by_hand(current_user, today=clock.today(), source=form.source.data,
                                        department_id=form.department_id.data,
                                        grade=form.grade.data, problem=form.problem.data,
                                        verifier_id=form.verifier_id.data or None)
        except DomainError as error:
            db.session.rollback()
            field = getattr(form, error.field or "problem", form.problem)
            field.errors = [*field.errors, error.message]
            return render_template("capa/form.html", form=form), error.status
        flash(_("Corrective action %(reference)s raised.", reference=ca.reference), "success")
        return _back(ca)
    status = 400 if form.is_submitted() else 200
    return render_template("capa/form.html", form=form), status


def _forms(ca) -> dict:
    locale = str(get_locale())
    forms = {"contain": ContainForm(), "analysis": AnalysisForm(), "action": ActionForm(),
             "done": DoneForm(), "check": CheckForm(), "close": CloseForm(),
             "decision": DecisionForm(), "file": FileForm()}
    for name in ("contain", "analysis", "close", "decision"):
        forms[name].version.data = ca.version
    _action_choices(forms["action"], locale)
    forms["analysis"].affected_ids.choices = [
        (i, label) for i, label in org_queries.department_choices(locale)
        if i != ca.department_id]
    return forms


def _action_choices(form: ActionForm, locale: str) -> None:
    from compliance.documents.models import Document

    people = db.session.scalars(select(User).where(User.active.is_(True))
                                .order_by(User.name)).all()
    form.owner_id.choices = [(u.id, u.name) for u in people]
    documents = db.session.scalars(select(Document).where(Document.status == "effective")
                                   .order_by(Document.code)).all()
    form.document_id.choices = [(0, "—")] + [(d.id, f"{d.code} {d.title(locale)}")
                                             for d in documents]


@bp.get("/<int:ca_id>")
@login_required
def detail(ca_id: int):
    """The corrective action's page: problem, containment, analysis, actions, checks."""
    ca = _readable(ca_id)
    return render_template("capa/detail.html", ca=ca, forms=_forms(ca), today=clock.today(),
                           manager=services.may_manage(current_user, ca),
                           verifier=services.may_verify(current_user, ca),
                           problems=verification.closure_problems(ca),
                           events=history("corrective_action", ca.id, limit=100), **LABELS)


def _invalid(form, default: str):
    messages = [m for errors in form.errors.values() for m in errors]
    raise DomainError(" ".join(map(str, messages)) or default)


@bp.post("/<int:ca_id>/contain")
@login_required
def contain(ca_id: int):
    """Record the immediate correction."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_manage(current_user, ca)
    form = ContainForm()
    if not form.validate_on_submit():
        _invalid(form, _("Describe the correction made and give its date."))
    services.contain(current_user, ca, correction=form.correction.data,
                     corrected_on=form.corrected_on.data, today=clock.today(),
                     expected_version=form.version.data)
    return _back(ca, "#containment")


@bp.post("/<int:ca_id>/analyse")
@login_required
def analyse(ca_id: int):
    """Record the root-cause analysis."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_manage(current_user, ca)
    form = AnalysisForm()
    form.affected_ids.choices = org_queries.department_choices(str(get_locale()))
    if not form.validate_on_submit():
        _invalid(form, _("Choose the Ishikawa category and describe the extent."))
    services.analyse(current_user, ca, whys=form.whys(), ishikawa=form.ishikawa.data,
                     extent=form.extent.data, affected_ids=form.affected_ids.data or [],
                     expected_version=form.version.data)
    return _back(ca, "#analysis")


@bp.post("/<int:ca_id>/actions")
@login_required
def add_action(ca_id: int):
    """Add an action to the plan."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_manage(current_user, ca)
    form = ActionForm()
    _action_choices(form, str(get_locale()))
    if not form.validate_on_submit():
        _invalid(form, _("Describe the action, choose its owner and its due date."))
    services.add_action(current_user, ca, description=form.description.data,
                        owner_id=form.owner_id.data, due_on=form.due_on.data, today=clock.today(),
                        document_id=form.document_id.data or None)
    return _back(ca, "#actions")


@bp.post("/<int:ca_id>/actions/<int:action_id>/done")
@login_required
def complete_action(ca_id: int, action_id: int):
    """The owner marks an action done, with evidence."""
    ca = _readable(ca_id, for_update=True)
    action = services.get_action(ca, action_id)
    form = DoneForm()
    if not form.validate_on_submit():
        _invalid(form, _("The form could not be read."))
    upload = form.file.data
    services.complete_action(current_user, ca, action, today=clock.today(), note=form.note.data,
                             stream=upload.stream if upload else None,
                             filename=upload.filename if upload else "")
    return _back(ca, "#actions")


@bp.post("/<int:ca_id>/check")
@login_required
def record_check(ca_id: int):
    """The verifier records whether the actions worked."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_verify(current_user, ca)
    form = CheckForm()
    if not form.validate_on_submit():
        _invalid(form, _("Choose the result and say what you checked."))
    upload = form.file.data
    verification.record_check(current_user, ca, effective=form.result.data == "effective",
                          notes=form.notes.data, today=clock.today(),
                          stream=upload.stream if upload else None,
                          filename=upload.filename if upload else "")
    return _back(ca, "#verification")


@bp.post("/<int:ca_id>/close")
@login_required
def close(ca_id: int):
    """Close after an effective check."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_verify(current_user, ca)
    form = CloseForm()
    if not form.validate_on_submit():
        _invalid(form, _("The form could not be read."))
    verification.close(current_user, ca, note=form.note.data, today=clock.today(),
                       expected_version=form.version.data)
    flash(_("Corrective action closed."), "success")
    return _back(ca)


@bp.post("/<int:ca_id>/decision")
@login_required
def decide(ca_id: int):
    """Close an observation or opportunity for improvement with a recorded decision."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_manage(current_user, ca)
    form = DecisionForm()
    if not form.validate_on_submit():
        _invalid(form, _("Record the decision."))
    verification.close_by_decision(current_user, ca, decision=form.decision.data,
                                   today=clock.today(), expected_version=form.version.data)
    flash(_("Corrective action closed."), "success")
    return _back(ca)


@bp.post("/<int:ca_id>/files")
@login_required
def upload(ca_id: int):
    """An evidence file about the nonconformity (checked by content, stored by hash)."""
    ca = _readable(ca_id, for_update=True)
    services.ensure_manage(current_user, ca)
    form = FileForm()
    if not form.validate_on_submit():
        _invalid(form, _("Choose a file."))
    services.add_file(current_user, ca, form.file.data.stream, form.file.data.filename)
    return _back(ca, "#files")


@bp.get("/<int:ca_id>/files/<int:file_id>")
@login_required
def download(ca_id: int, file_id: int):
    """Download an evidence file."""
    ca = _readable(ca_id)
    stored = db.session.get(CorrectiveFile, file_id)
    if stored is None or stored.corrective_action_id != ca.id:
        raise NotFound(_("No such evidence file."))
    return attachment(get_store().read(stored.blob_sha256), stored.file_kind,
                      f"{ca.reference}-evidence-{stored.id}")


def register(app) -> None:
    """Mount this domain's pages and connect its signal receivers."""
    app.register_blueprint(bp)
    connect_signals()
