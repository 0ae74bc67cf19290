"""User administration: accounts, roles, department memberships (endpoints `auth.users.*`)."""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from compliance.audit_trail.readable import history_of
from compliance.auth import queries, rules, second_factor, services
from compliance.auth.forms import MembershipForm, ResetPasswordForm, UserForm
from compliance.auth.models import User
from compliance.auth.permissions import require
from compliance.core import registers
from compliance.core.collation import person_key
from compliance.core.errors import DomainError
from compliance.core.http import form_error, render_form
from compliance.org.queries import department_choices

bp = Blueprint("users", __name__, url_prefix="/admin/users")


def _min_length() -> int:
    return current_app.config["PASSWORD_MIN_LENGTH"]


# What the list remembers for each person, and its columns that sort (people by given name,
# the Vietnamese way, which is also the order ties keep).
FILTER_KEYS = ("status", "sort")
SORTS = {
    "name": lambda u: person_key(u.name),
    "email": lambda u: u.email.casefold(),
    "status": lambda u: not u.active,
}
STATUSES = {"active": True, "deactivated": False}


@bp.get("/")
@require("users.read")
def index():
    """All accounts, sorted and filtered by status."""
    kept = registers.remembered(current_user, "users", request.args, FILTER_KEYS)
    status = kept.args.get("status") if kept.args.get("status") in STATUSES else None
    sort = registers.sort_from(kept.args.get("sort"), SORTS, "name")
    users = [u for u in queries.users() if status is None or u.active == STATUSES[status]]
    return render_template("users/index.html", users=registers.sorted_rows(users, sort, SORTS),
                           sort=sort, args=kept.args, status=status, restored=kept.restored,
                           may_manage=rules.may_manage_users(current_user))


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
            # A new account's taken address has always been answered as a mistake in the form.
            return _refused(form, error, None, status=400)
        flash(_("User %(name)s created.", name=user.name), "success")
        return redirect(url_for("auth.users.detail", user_id=user.id))
    return render_form("users/form.html", form, user=None)


@bp.get("/<int:user_id>")
@require("users.read")
def detail(user_id: int):
    """One account: roles, memberships, history."""
    return render_template("users/detail.html", **_detail(services.get_user(user_id)))


def _detail(user: User, membership_form: MembershipForm | None = None,
            reset_form: ResetPasswordForm | None = None) -> dict:
    """What the account page shows, with the forms as sent when one was refused."""
    membership_form = membership_form or MembershipForm(formdata=None)
    membership_form.department_id.choices = department_choices(str(get_locale()))
    return {"user": user, "membership_form": membership_form,
            "reset_form": reset_form or ResetPasswordForm(formdata=None),
            "actions": rules.allowed_actions(current_user, user),
            "history": history_of("user", user.id, limit=50)}


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
        except DomainError as error:
            return _refused(form, error, user)
        flash(_("Changes saved."), "success")
        return redirect(url_for("auth.users.detail", user_id=user.id))
    return render_form("users/form.html", form, user=user)


def _refused(form: UserForm, error: DomainError, user: User | None, status: int | None = None):
    """The account form again with the refusal at its field.

    An address already in use is the form's problem although it is a 409: it stays at the
    e-mail field with the input kept, instead of the conflict page a stale edit gets."""
    if isinstance(error, services.AddressTaken):
        form.email.errors = [*form.email.errors, error.message]
        return render_template("users/form.html", form=form, user=user), status or error.status
    return form_error(form, error, "users/form.html", user=user)


@bp.post("/<int:user_id>/memberships")
@require("users.manage")
def add_membership(user_id: int):
    """Add a department membership."""
    user = services.get_user(user_id, for_update=True)
    form = MembershipForm()
    form.department_id.choices = department_choices(str(get_locale()))
    if not form.validate_on_submit():
        return render_template("users/detail.html", **_detail(user, membership_form=form)), 400
    try:
        services.add_membership(current_user, user, form.department_id.data, form.role.data)
    except DomainError as error:
        return form_error(form, error, "users/detail.html", **_detail(user, membership_form=form))
    flash(_("Membership added."), "success")
    return redirect(url_for("auth.users.detail", user_id=user.id))


@bp.post("/<int:user_id>/memberships/<int:membership_id>/delete")
@require("users.manage")
def remove_membership(user_id: int, membership_id: int):
    """Remove a department membership."""
    user = services.get_user(user_id, for_update=True)
    services.remove_membership(current_user, user, membership_id)
    flash(_("Membership removed."), "success")
    return redirect(url_for("auth.users.detail", user_id=user.id))


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
    return redirect(url_for("auth.users.detail", user_id=user.id))


@bp.post("/<int:user_id>/password")
@require("users.manage")
def reset_password(user_id: int):
    """Set a new password for someone (their sessions end)."""
    user = services.get_user(user_id, for_update=True)
    form = ResetPasswordForm()
    if not form.validate_on_submit():
        return render_template("users/detail.html", **_detail(user, reset_form=form)), 400
    try:
        services.reset_password(current_user, user, form.password.data, _min_length())
    except DomainError as error:
        return form_error(form, error, "users/detail.html", **_detail(user, reset_form=form))
    flash(_("Password reset; the user's sessions have ended."), "success")
    return redirect(url_for("auth.users.detail", user_id=user.id))



@bp.post("/<int:user_id>/second-factor/reset")
@require("users.manage")
def reset_second_factor(user_id: int):
    """Remove someone's second factor (they set it up again)."""
    user = services.get_user(user_id, for_update=True)
    second_factor.reset_for(current_user, user)
    flash(_("The second factor is removed; the person sets it up again."), "success")
    return redirect(url_for("auth.users.detail", user_id=user.id))
