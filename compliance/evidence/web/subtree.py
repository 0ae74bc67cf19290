"""An overseer's evidence packs across the organisations below a grant (issue 14): the
child blueprint `evidence.subtree` at /evidence/subtree/. Building one is the only thing
oversight writes: the pack and the record of the request, both in the overseer's own
organisation; the organisations read are not written to."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from compliance.core import clock
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import form_error
from compliance.evidence import queries, rules, services
from compliance.evidence.forms import SubtreeForm
from compliance.evidence.labels import STATE_LABELS
from compliance.evidence.models import EvidencePack
from compliance.evidence.web import launching
from compliance.installation import oversight, tree

bp = Blueprint("subtree", __name__, url_prefix="/evidence/subtree")


def _form() -> SubtreeForm:
    form = SubtreeForm()
    overseen = oversight.overseen_ids(current_user)
    locale = str(get_locale())
    # In the tree's order, indented by depth: the top of a grant reads first.
    form.organisation_id.choices = [
        (o.id, "· " * depth + f"{o.name(locale)} ({o.code})")
        for o, depth in tree.ordered() if o.id in overseen]
    if not form.is_submitted():
        today = clock.today()
        form.period_start.data, form.period_end.data = today.replace(month=1, day=1), today
    return form


def _page(form: SubtreeForm) -> dict:
    packs = db.session.scalars(rules.visible_packs(current_user, select(EvidencePack).where(
        EvidencePack.scope_kind == rules.SUBTREE).order_by(EvidencePack.id.desc()).limit(50)))
    return {"form": form, "packs": list(packs), "state_of": queries.state_of,
            "states": STATE_LABELS}


@bp.get("/")
@login_required
def index():
    """The packs across organisations the reader may see, and the form to build one."""
    rules.ensure(bool(oversight.overseen_ids(current_user)))
    return render_template("evidence/subtree.html", **_page(_form()))


@bp.post("/")
@login_required
def build():
    """Queue a pack across an overseen organisation and those below it."""
    rules.ensure(bool(oversight.overseen_ids(current_user)))
    form = _form()
    if not form.validate_on_submit():
        return render_template("evidence/subtree.html", **_page(form)), 400
    try:
        pack = services.request_subtree_pack(
            current_user, organisation_id=form.organisation_id.data,
            period_start=form.period_start.data, period_end=form.period_end.data,
            locale=str(get_locale()), include_quality=form.include_quality.data)
    except DomainError as error:
        return form_error(form, error, "evidence/subtree.html", **_page(form))
    launching.after_commit(pack)
    flash(_("Evidence pack %(reference)s is being built.", reference=pack.reference), "info")
    return redirect(url_for("evidence.detail", pack_id=pack.id))

