"""The bell, the list of notifications, email settings and the scheduler's page."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from compliance.auth.permissions import require
from compliance.core import uow
from compliance.core.errors import DomainError
from compliance.notifications import outbox, queries, services
from compliance.notifications.alerts_work import connect_signals
from compliance.notifications.forms import EmailModeForm
from compliance.notifications.kinds import AREA_LABELS, KINDS, render

bp = Blueprint("notifications", __name__, url_prefix="/notifications")
admin_bp = Blueprint("scheduler", __name__, url_prefix="/admin/scheduler")


@bp.app_context_processor
def _bell():
    # Templates also render outside requests (PDFs in the evidence worker): no one to count for.
    if not getattr(current_user, "is_authenticated", False):
        return {}
    return {"unread_notifications": lambda: services.unread_count(current_user)}


def _sentence(note) -> str:
    return render(note.kind, note.params, str(getattr(current_user, "locale", "vi")))


@bp.get("/")
@login_required
def index():
    """The person's notifications, newest first, unread ones marked."""
    unread_only = request.args.get("show") == "unread"
    before = request.args.get("before", type=int)
    notes = services.for_user(current_user, unread_only=unread_only, before_id=before,
                              limit=51)
    more = notes[50].id if len(notes) > 50 else None
    return render_template("notifications/index.html", notes=notes[:50], more=more,
                           unread_only=unread_only, sentence=_sentence, kinds=KINDS,
                           areas=AREA_LABELS)


@bp.post("/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark it read and go to the thing it is about."""
    note = services.mark_read(current_user, notification_id)
    target = note.link if note.link.startswith("/") and not note.link.startswith("//") \
        else url_for("notifications.index")
    return redirect(target)


@bp.post("/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    """Mark one notification read and stay on the list."""
    services.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index"))


@bp.post("/read-all")
@login_required
def mark_all_read():
    """Mark every notification read."""
    count = services.mark_all_read(current_user)
    flash(_("%(count)s notification(s) marked read.", count=count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Immediate email, a daily digest, or in-app only."""
    form = EmailModeForm(data={"email_mode": current_user.email_mode})
    if form.validate_on_submit():
        try:
            services.set_email_mode(current_user, form.email_mode.data)
        except DomainError as error:
            form.email_mode.errors.append(error.message)
        else:
            flash(_("Your notification settings are saved."), "success")
            return redirect(url_for("notifications.settings"))
    status = 400 if form.is_submitted() and form.errors else 200
    return render_template("notifications/settings.html", form=form,
                           email_enabled=outbox.email_enabled()), status


@admin_bp.get("/")
@require("scheduler.read")
def index_page():
    """Jobs with their last and next run, and the outbox."""
    status = request.args.get("status") or None
    if status not in (None, "waiting", "sent", "failed"):
        status = None
    return render_template("notifications/scheduler.html", jobs=queries.job_rows(),
                           state=queries.scheduler_state(), counts=queries.outbox_counts(),
                           emails=queries.outbox(status), status=status,
                           email_enabled=outbox.email_enabled())


@admin_bp.post("/outbox/<int:email_id>/retry")
@require("scheduler.manage")
def retry(email_id: int):
    """Send a failed email again at the next outbox run."""
    try:
        outbox.retry(current_user, email_id)
    except DomainError as error:
        uow.rollback()  # a redirect would otherwise commit
        flash(error.message, "warning")
        return redirect(url_for("scheduler.index_page"))
    flash(_("The email will be sent again within a minute."), "success")
    return redirect(url_for("scheduler.index_page", status=request.args.get("status")))


def register(app) -> None:
    """Mount this domain's pages and connect its signal receivers."""
    app.register_blueprint(bp)
    app.register_blueprint(admin_bp)
    connect_signals()
