"""Child blueprint `documents.compare`: two revisions of a document side by side (or inline),
their text, change summaries and the facts that differ; printable."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.core.errors import DomainError, NotFound
from compliance.documents import compare, rules, services
from compliance.documents.labels import STATUS_LABELS

bp = Blueprint("compare", __name__, url_prefix="/<int:document_id>/compare")
PAGE = "documents/compare.html"


def _revision_id(name: str) -> int | None:
    """The revision id named by a query argument: None when absent, 404 when not an id."""
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not raw.isdigit():
        raise NotFound(_("No such revision."))
    return int(raw)


@bp.get("", endpoint="revisions")
@login_required
def revisions(document_id: int):
    """Choose two revisions (no arguments), or compare revisions `a` and `b`."""
    document = services.get_document(document_id)
    readable = rules.readable_revisions(current_user, document)
    rules.ensure(rules.may_open(current_user, document), _("You may not open this document."))
    a, b = _revision_id("a"), _revision_id("b")
    context = {"document": document, "readable": readable, "status_labels": STATUS_LABELS,
               "view": "inline" if request.args.get("view") == "inline" else "side",
               "chosen": (a, b), "comparison": None}
    if a is None or b is None:
        return render_template(PAGE, **context)
    first = services.get_revision(document, a)
    second = services.get_revision(document, b)
    if first.id == second.id:
        raise DomainError(_("Choose two different revisions to compare."), status=400)
    rules.ensure(rules.may_compare(current_user, document, first, second),
                 _("You may not open one of these revisions."))
    context["comparison"] = compare.compare(first, second)
    return render_template(PAGE, **context)
