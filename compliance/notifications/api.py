"""The caller's notifications under /api/v1/notifications: list (keyset pages, unread
filter), read one, mark one or all read (a write token); the services of the pages."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import select

from compliance.api import json_errors
from compliance.api.pages import sorted_args, sorted_page
from compliance.core.errors import NotFound
from compliance.core.extensions import db
from compliance.notifications import rules, services
from compliance.notifications.kinds import render
from compliance.notifications.models import Notification

bp = Blueprint("api_notifications", __name__, url_prefix="/notifications",
               description="The caller's own notifications.")
json_errors(bp)
SECURITY = [{"bearer": []}]


class NotificationSchema(Schema):
    """A notification as the API shows it: its sentence in the caller's language."""

    id = fields.Int()
    kind = fields.Str()
    text = fields.Method("_text", metadata={"type": "string",
                                            "description": "The sentence the pages show, in "
                                                           "the caller's language."})
    link = fields.Str(metadata={"description": "The page it is about, relative to the site."})
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    read = fields.Method("_read", metadata={"type": "boolean"})

    def _text(self, note: Notification) -> str:
        return render(note.kind, note.params, str(getattr(current_user, "locale", "vi")))

    def _read(self, note: Notification) -> bool:
        return note.read_at is not None


class NotificationArgs(sorted_args("id")):
    """?unread=true for the unread ones only, and ?sort=-id for the newest first, besides
    the page."""

    unread = fields.Bool(load_default=False)


class MarkedSchema(Schema):
    """How many notifications a mark-all-read marked."""

    marked = fields.Int()


def _own(notification_id: int) -> Notification:
    note = db.session.scalar(rules.visible_notifications(
        current_user, select(Notification).where(Notification.id == notification_id)))
    if note is None:  # someone else's is not the caller's business: missing
        raise NotFound("No such notification.")
    return note


@bp.route("/")
class Notifications(MethodView):
    """The caller's notifications, by id (oldest first; `sort=-id`: newest first)."""

    @bp.arguments(NotificationArgs, location="query")
    @bp.response(200, NotificationSchema(many=True))
    @bp.doc(security=SECURITY)
    def get(self, args):
        """List the caller's notifications (cursor pages, `Link` header; `unread=true`,
        `sort=-id`)."""
        stmt = rules.visible_notifications(current_user, select(Notification))
        if args.pop("unread"):
            stmt = stmt.where(Notification.read_at.is_(None))
        return sorted_page(stmt, {"id": Notification.id}, Notification.id, args)


@bp.route("/<int:notification_id>")
class NotificationOne(MethodView):
    """One of the caller's notifications."""

    @bp.response(200, NotificationSchema)
    @bp.doc(security=SECURITY)
    def get(self, notification_id: int):
        """Read one notification (404 when it is not the caller's)."""
        return _own(notification_id)


@bp.route("/<int:notification_id>/read")
class NotificationRead(MethodView):
    """Marking one notification read."""

    @bp.response(200, NotificationSchema)
    @bp.doc(security=SECURITY)
    def post(self, notification_id: int):
        """Mark one of the caller's notifications read (a write token)."""
        return services.mark_read(current_user, notification_id)


@bp.route("/read-all")
class NotificationsReadAll(MethodView):
    """Marking every notification read."""

    @bp.response(200, MarkedSchema)
    @bp.doc(security=SECURITY)
    def post(self):
        """Mark every unread notification of the caller read (a write token)."""
        return {"marked": services.mark_all_read(current_user)}
