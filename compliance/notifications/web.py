"""The bell, the list of notifications, email settings, and the scheduler's page.

The scheduler's pages are the child blueprint `notifications.scheduler` (URLs under
/admin/scheduler/); the parent has no URL prefix of its own so that the child's URLs stay
where they were, and its own routes spell out /notifications/.
"""

from __future__ import annotations

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required

from compliance.auth.permissions import require
from compliance.core import uow
from compliance.core.errors import DomainError
from compliance.core.http import form_error, local_target, render_form
from compliance.core.kept import kept
from compliance.notifications import handlers, jobs, outbox, queries, rules, services
from compliance.notifications.forms import EmailModeForm
from compliance.notifications.kinds import render
from compliance.notifications.labels import AREA_LABELS, KINDS

bp = Blueprint("notifications", __name__)
scheduler_bp = Blueprint("scheduler", __name__, url_prefix="/admin/scheduler")
PAGE = 50


@bp.app_context_processor
def _bell():
    # Templates also render outside requests (PDFs in the evidence worker): no one to count for.
    if not getattr(current_user, "is_authenticated", False):
        return {}
    return {"unread_notifications": lambda: kept(
        "unread_notifications", (current_user.id,), lambda: queries.unread_count(current_user))}


def _sentence(note) -> str:
    return render(note.kind, note.params, str(getattr(current_user, "locale", "vi")))


def _actions(note) -> frozenset[str]:
    return rules.allowed_actions(current_user, note)


@bp.get("/notifications/")
@login_required
def index():
    """The person's notifications, newest first, unread ones marked."""
    unread_only = request.args.get("show") == "unread"
    before = request.args.get("before", type=int)
    notes = queries.for_user(current_user, unread_only=unread_only, before_id=before,
                             limit=PAGE + 1)
    more = notes[PAGE].id if len(notes) > PAGE else None
    return render_template("notifications/index.html", notes=notes[:PAGE], more=more,
                           unread_only=unread_only, sentence=_sentence, kinds=KINDS,
                           areas=AREA_LABELS, actions=_actions)


@bp.post("/notifications/<int:notification_id>/open")
@login_required
def open_notification(notification_id: int):
    """Mark it read and go to the thing it is about."""
    note = services.mark_read(current_user, notification_id)
    return redirect(local_target(note.link, url_for("notifications.index")))


@bp.post("/notifications/<int:notification_id>/read")
@login_required
def mark_read(notification_id: int):
    """Mark one notification read and stay on the list."""
    services.mark_read(current_user, notification_id)
    return redirect(url_for("notifications.index"))


@bp.post("/notifications/read-all")
@login_required
def mark_all_read():
    """Mark every notification read."""
    count = services.mark_all_read(current_user)
    flash(ngettext("%(num)d notification marked read.", "%(num)d notifications marked read.",
                   count), "success")
    return redirect(url_for("notifications.index"))


@bp.route("/notifications/settings", methods=["GET", "POST"])
@login_required
def settings():
    """Immediate email, a daily digest, or in-app only."""
    form = EmailModeForm(data={"email_mode": current_user.email_mode})
    context = {"email_enabled": outbox.email_enabled()}
    if form.validate_on_submit():
        try:
            services.set_email_mode(current_user, form.email_mode.data)
        except DomainError as error:
            return form_error(form, error, "notifications/settings.html", **context)
        flash(_("Your notification settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return render_form("notifications/settings.html", form, **context)


@scheduler_bp.get("/")
@require("scheduler.read")
def index_page():
    """Jobs with their last and next run, and the outbox."""
    status = request.args.get("status") or None
    if status not in (None, "waiting", "sent", "failed"):
        status = None
    return render_template("notifications/scheduler.html",
                           jobs=queries.job_rows(current_app._get_current_object()),
                           state=queries.scheduler_state(), counts=queries.outbox_counts(),
                           emails=queries.outbox(status), status=status,
                           email_enabled=outbox.email_enabled(),
                           actions=rules.scheduler_actions(current_user))


@scheduler_bp.post("/outbox/<int:email_id>/retry")
@require("scheduler.manage")
def retry(email_id: int):
    """Send a failed email again at the next outbox run."""
    try:
        outbox.retry(current_user, email_id)
    except DomainError as error:
        if error.status == 403:
            raise
        uow.rollback()  # a redirect would otherwise commit
        flash(error.message, "warning")
        return redirect(url_for("notifications.scheduler.index_page"))
    flash(_("The email will be sent again within a minute."), "success")
    return redirect(url_for("notifications.scheduler.index_page",
                            status=request.args.get("status")))


bp.register_blueprint(scheduler_bp)


def register(app) -> None:
    """Mount this domain's pages, add its jobs, connect its signal receivers."""
    app.register_blueprint(bp)
    jobs.register(app)
    handlers.connect(app)
