"""User administration: accounts, roles, department memberships."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from compliance.audit_trail.services import history
from compliance.auth import services
from compliance.auth.forms import MembershipForm, ResetPasswordForm, UserForm
from compliance.auth.models import User
from compliance.auth.permissions import require
from compliance.core.errors import Conflict, DomainError
from compliance.core.extensions import db
from compliance.org.queries import department_choices

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _min_length() -> int:
    return current_app.config["PASSWORD_MIN_LENGTH"]


@bp.get("/")
@require("users.read")
def index():
    """All accounts."""
    users = db.session.scalars(select(User).order_by(User.name)).all()
    return render_template("users/index.html", users=users)


@bp.route("/new", methods=["GET", "POST"])
@require("users.manage")
def create():
    """Create an account."""
    form = UserForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(
                current_user, form.email.data, form.name.data, form.password.data or "",
                form.locale.data, tuple(form.roles.data or ()), _min_length())
        except DomainError as error:
            field = form.password if error.field == "password" else form.email
            field.errors.append(error.message)
        else:
            flash(_("User %(name)s created.", name=user.name), "success")
            return redirect(url_for("users.detail", user_id=user.id))
    return _form_page(form, None)


@bp.get("/<int:user_id>")
@require("users.read")
def detail(user_id: int):
    """One account: roles, memberships, history."""
    user = services.get_user(user_id)
    form = MembershipForm()
    form.department_id.choices = department_choices(str(get_locale()))
    return render_template("users/detail.html", user=user, membership_form=form,
                           reset_form=ResetPasswordForm(),
                           events=history("user", user.id, limit=50))


@bp.route("/<int:user_id>/edit", methods=["GET", "POST"])
@require("users.manage")
def edit(user_id: int):
    """Change an account's details and roles."""
    user = services.get_user(user_id, for_update=True)
    form = UserForm(obj=user)
    if not form.is_submitted():
        form.roles.data = sorted(user.global_roles)
        form.version.data = user.version
    if form.validate_on_submit():
        try:
            services.update_user(current_user, user, form.version.data, email=form.email.data,
                                 name=form.name.data, locale=form.locale.data,
                                 roles=tuple(form.roles.data or ()))
        except Conflict:
            raise
        except DomainError as error:
            form.email.errors.append(error.message)
            return _form_page(form, user, error.status)
        flash(_("Changes saved."), "success")
        return redirect(url_for("users.detail", user_id=user.id))
    return _form_page(form, user)


def _form_page(form: UserForm, user: User | None, status: int | None = None):
    if status is None:
        status = 400 if form.is_submitted() and form.errors else 200
    return render_template("users/form.html", form=form, user=user), status


@bp.post("/<int:user_id>/memberships")
@require("users.manage")
def add_membership(user_id: int):
    """Add a department membership."""
    user = services.get_user(user_id, for_update=True)
    form = MembershipForm()
    form.department_id.choices = department_choices(str(get_locale()))
    if not form.validate_on_submit():
        raise DomainError(_("Choose a department and a role."))
    services.add_membership(current_user, user, form.department_id.data, form.role.data)
    flash(_("Membership added."), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.post("/<int:user_id>/memberships/<int:membership_id>/delete")
@require("users.manage")
def remove_membership(user_id: int, membership_id: int):
    """Remove a department membership."""
    user = services.get_user(user_id, for_update=True)
    services.remove_membership(current_user, user, membership_id)
    flash(_("Membership removed."), "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.post("/<int:user_id>/deactivate")
@require("users.manage")
def deactivate(user_id: int):
    """Deactivate an account and end its sessions."""
    return _set_active(user_id, False, _("Account deactivated; its sessions have ended."))


@bp.post("/<int:user_id>/reactivate")
@require("users.manage")
def reactivate(user_id: int):
    """Allow a deactivated account to sign in again."""
    return _set_active(user_id, True, _("Account reactivated."))


def _set_active(user_id: int, active: bool, message: str):
    user = services.get_user(user_id, for_update=True)
    services.set_active(current_user, user, active)
    flash(message, "success")
    return redirect(url_for("users.detail", user_id=user.id))


@bp.post("/<int:user_id>/password")
@require("users.manage")
def reset_password(user_id: int):
    """Set a new password for someone (their sessions end)."""
    user = services.get_user(user_id, for_update=True)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        raise DomainError(_("Enter the new password."))
    services.reset_password(current_user, user, form.password.data, _min_length())
    flash(_("Password reset; the user's sessions have ended."), "success")
    return redirect(url_for("users.detail", user_id=user.id))

