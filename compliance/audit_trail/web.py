"""Reading the trail and checking the chain from the browser."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user
from sqlalchemy import select

from compliance.audit_trail import readable, rules, services
from compliance.audit_trail.models import AuditEvent
from compliance.auth.permissions import require
from compliance.core.extensions import db

bp = Blueprint("audit_trail", __name__, url_prefix="/audit-trail")
PAGE_SIZE = 50


@bp.get("/")
@require("audit_trail.read")
def index():
    """Newest events first, paged by sequence number (keyset): each as recorded (its code and
    snapshots, for administrators, coordinators and auditors) beside its sentence."""
    before = request.args.get("before", type=int)
    query = rules.visible_events(current_user, select(AuditEvent).order_by(
        AuditEvent.seq.desc()).limit(PAGE_SIZE + 1))
    if before is not None:  # ?before=0 means nothing older, not the first page
        query = query.where(AuditEvent.seq < before)
    events = list(db.session.scalars(query))
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    return render_template("audit_trail/index.html", events=events,
                           lines={line.seq: line for line in readable.describe(events)},
                           actors=readable.SPECIAL_ACTORS,
                           next_before=events[-1].seq if more else None)


@bp.get("/verify")
@require("audit_trail.read")
def verify():
    """Check the whole chain and show the verdict."""
    return render_template("audit_trail/verify.html", verdict=services.verify())


def register(app) -> None:
    """Mount this domain's pages."""
    app.register_blueprint(bp)
