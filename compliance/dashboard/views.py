"""The home page: who I am here and where my work is."""

from __future__ import annotations

from flask import Blueprint, render_template
from flask_login import current_user, login_required

from compliance.auth.permissions import roles_of

bp = Blueprint("dashboard", __name__)


@bp.get("/")
@login_required
def home():
    """Home page for the signed-in user."""
    return render_template("dashboard/home.html", roles=sorted(roles_of(current_user)),
                           memberships=sorted(current_user.memberships,
                                              key=lambda m: m.department.code))
