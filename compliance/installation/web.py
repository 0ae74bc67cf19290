"""The installation administrator's pages: the tree of organisations, creating and changing
one, its first administrator and who oversees it (endpoints `installation.*`)."""

from __future__ import annotations

from functools import wraps

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from compliance.audit_trail.readable import history_of
from compliance.auth.models import User
from compliance.backup import jobs as storage_jobs
from compliance.core import tenancy
from compliance.core.errors import DomainError
from compliance.core.extensions import db, login_manager
from compliance.core.http import form_error, render_form
from compliance.core.kept import kept
from compliance.installation import oversight_web, rules, services, tree
from compliance.installation.forms import FirstAdminForm, GrantForm, OrganisationForm
from compliance.org.naming import HeaderOrganisation, organisation_row

bp = Blueprint("installation", __name__, url_prefix="/installation/organisations")


def installation_admin_only(view):
    """Sign-in required, then the installation administrator's flag."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return login_manager.unauthorized()
        rules.ensure(rules.may_manage_organisations(current_user))
        return view(*args, **kwargs)

    return wrapped


def _people_counts() -> dict[int, int]:
    with tenancy.across_organisations():
        return dict(db.session.execute(select(User.organisation_id, func.count(User.id))
                                       .group_by(User.organisation_id)).all())


@bp.get("/")
@installation_admin_only
def index():
    """The tree of organisations."""
    return render_template("installation/index.html", rows=tree.ordered(),
                           people=_people_counts())


def _form(organisation=None) -> OrganisationForm:
    form = OrganisationForm(obj=organisation)
    locale = str(get_locale())
    below = tree.subtree_ids([organisation.id]) if organisation else set()
    form.parent_id.choices = [(o.id, f"{'— ' * depth}{o.name(locale)} ({o.code})")
                              for o, depth in tree.ordered() if o.id not in below]
    form.time_zone.choices = [(zone, zone) for zone in services.TIME_ZONES]
    if not form.is_submitted():
        form.time_zone.data = organisation.time_zone if organisation else services.TIME_ZONES[0]
        form.version.data = organisation.version if organisation else None
    return form


def _input(form: OrganisationForm) -> services.OrganisationInput:
    return services.OrganisationInput(
        code=form.code.data or "", name_vi=form.name_vi.data or "",
        name_en=form.name_en.data or "", parent_id=form.parent_id.data or None,
        time_zone=form.time_zone.data or "",
        document_code_pattern=form.document_code_pattern.data or "")


def _logo_file():
    upload = request.files.get("logo")
    if upload is None or not upload.filename:
        return None, ""
    return upload.stream, upload.filename


@bp.route("/new", methods=["GET", "POST"])
@installation_admin_only
def create():
    """Add an organisation to the tree."""
    form = _form()
    if form.validate_on_submit():
        stream, name = _logo_file()
        try:
            organisation = services.create(current_user, _input(form), stream, name)
        except DomainError as error:
            return form_error(form, error, "installation/form.html", organisation=None)
        flash(_("Organisation %(code)s created.", code=organisation.code), "success")
        return redirect(url_for("installation.detail", organisation_id=organisation.id))
    return render_form("installation/form.html", form, organisation=None)


@bp.get("/<int:organisation_id>")
@installation_admin_only
def detail(organisation_id: int):
    """One organisation: its settings, administrators, overseers and history."""
    return render_template("installation/detail.html",
                           **_detail(services.get_organisation(organisation_id)))


def _detail(organisation, admin_form=None, grant_form=None, password=None, created=None):
    with tenancy.acting_for(organisation.id):
        admins = [u for u in db.session.scalars(
            select(User).options(selectinload(User.roles)).order_by(User.name))
            if "admin" in u.global_roles]
    return {"organisation": organisation, "admins": admins,
            "admin_form": admin_form or FirstAdminForm(formdata=None),
            "grant_form": grant_form or GrantForm(formdata=None),
            "grants": services.grants_of(organisation), "password": password,
            "created": created, "history": history_of("organisation", organisation.id, 50)}


@bp.route("/<int:organisation_id>/edit", methods=["GET", "POST"])
@installation_admin_only
def edit(organisation_id: int):
    """Change an organisation; a stale form gets a conflict, not an overwrite."""
    organisation = services.get_organisation(organisation_id, for_update=True)
    form = _form(organisation)
    if form.validate_on_submit():
        stream, name = _logo_file()
        try:
            services.update(current_user, organisation, form.version.data, _input(form),
                            stream, name, drop_logo=bool(form.drop_logo.data))
        except DomainError as error:
            return form_error(form, error, "installation/form.html", organisation=organisation)
        flash(_("Changes saved."), "success")
        return redirect(url_for("installation.detail", organisation_id=organisation.id))
    return render_form("installation/form.html", form, organisation=organisation)


@bp.post("/<int:organisation_id>/administrators")
@installation_admin_only
def add_admin(organisation_id: int):
    """Create the organisation's first (or another) administrator; the temporary password
    is shown on this answer only, never stored in clear or sent."""
    organisation = services.get_organisation(organisation_id)
    form = FirstAdminForm()
    if not form.validate_on_submit():
        return render_template("installation/detail.html",
                               **_detail(organisation, admin_form=form)), 400
    try:
        user, password = services.create_first_admin(
            current_user, organisation, name=form.name.data, email=form.email.data,
            locale=form.locale.data)
    except DomainError as error:
        if error.field not in form._fields:
            raise
        # A taken address (409) is the form's problem too: at its field, input kept.
        getattr(form, error.field).errors = [*getattr(form, error.field).errors, error.message]
        return render_template("installation/detail.html",
                               **_detail(organisation, admin_form=form)), error.status
    # Not a redirect: the password must not travel in a URL or a flashed cookie.
    return render_template("installation/detail.html",
                           **_detail(organisation, password=password, created=user)), 201


@bp.post("/<int:organisation_id>/oversight")
def grant(organisation_id: int):
    """Let a person oversee the organisation and those below it (reading only)."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    organisation = services.get_organisation(organisation_id)
    rules.ensure(rules.may_grant_oversight(current_user, organisation))
    form = GrantForm()
    back = _grant_page(organisation)
    if not form.validate_on_submit():
        return _grant_refused(organisation, form), 400
    try:
        services.grant_oversight(current_user, organisation, form.email.data)
    except DomainError as error:
        if error.field != "email":
            raise
        form.email.errors = [*form.email.errors, error.message]
        return _grant_refused(organisation, form), error.status
    flash(_("Oversight granted."), "success")
    return redirect(back)


@bp.post("/<int:organisation_id>/oversight/<int:grant_id>/delete")
def revoke(organisation_id: int, grant_id: int):
    """End a person's oversight."""
    if not current_user.is_authenticated:
        return login_manager.unauthorized()
    organisation = services.get_organisation(organisation_id)
    services.revoke_oversight(current_user, organisation, grant_id)
    flash(_("Oversight ended."), "success")
    return redirect(_grant_page(organisation))


def _grant_page(organisation) -> str:
    if rules.is_installation_admin(current_user):
        return url_for("installation.detail", organisation_id=organisation.id)
    return url_for("oversight.grants")


def _grant_refused(organisation, form):
    if rules.is_installation_admin(current_user):
        return render_template("installation/detail.html",
                               **_detail(organisation, grant_form=form))
    return render_template("oversight/grants.html", organisation=organisation,
                           grants=services.grants_of(organisation), grant_form=form)


def header_organisation():
    """The organisation the page header names: the signed-in person's (none for a visitor,
    whose public pages name their organisation themselves)."""
    if not current_user.is_authenticated:
        return None
    organisation_id = current_user.organisation_id
    return kept("header_organisation", (organisation_id,),
                lambda: HeaderOrganisation.of(organisation_row(organisation_id)))


def register(app) -> None:
    """Mount the installation's and the overseer's pages; name the organisation in the
    header."""
    app.register_blueprint(bp)
    oversight_web.register(app)
    # The installation's files, whichever organisation's they are: checked once a month.
    storage_jobs.register(app)
    app.context_processor(lambda: {"header_organisation": header_organisation,
                                   "above_organisations": oversight_web.above_organisations})
