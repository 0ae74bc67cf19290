"""The administrator's webhook pages (endpoints `webhooks.*`, under /admin/webhooks/):
the list, register, change, deactivate, each hook's delivery log and sending one again."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from compliance.auth.permissions import require
from compliance.core.errors import DomainError
from compliance.core.extensions import db
from compliance.core.http import form_error, render_form
from compliance.webhooks import handlers, jobs, queries, rules, services
from compliance.webhooks.forms import ActionForm, WebhookForm
from compliance.webhooks.labels import EVENTS, delivery_state
from compliance.webhooks.models import Webhook

bp = Blueprint("webhooks", __name__, url_prefix="/admin/webhooks")
FORM = "webhooks/form.html"


@bp.get("/")
@require("webhooks.manage")
def index():
    """The organisation's hooks."""
    hooks = db.session.scalars(rules.visible_webhooks(
        current_user, select(Webhook)).order_by(Webhook.name, Webhook.id)).all()
    return render_template("webhooks/index.html", hooks=hooks, events=EVENTS)


def _refused(form, error: DomainError, template: str, **context):
    if error.field in ("url", "events", "name"):
        error.status = 400  # the form's mistake, kept at its field
    return form_error(form, error, template, **context)


@bp.route("/new", methods=["GET", "POST"])
@require("webhooks.manage")
def create():
    """Register a hook; its signing secret is shown on this answer only."""
    form = WebhookForm()
    if form.validate_on_submit():
        try:
            hook, secret = services.create_webhook(
                current_user, name=form.name.data, url=form.url.data,
                events=form.events.data, active=form.active.data)
        except DomainError as error:
            return _refused(form, error, FORM, hook=None)
        return _detail(hook, secret=secret), 201
    return render_form(FORM, form, hook=None)


@bp.route("/<int:webhook_id>/edit", methods=["GET", "POST"])
@require("webhooks.manage")
def edit(webhook_id: int):
    """Change a hook's name, URL, events or active flag."""
    hook = services.get_webhook(current_user, webhook_id)
    form = WebhookForm(data={"name": hook.name, "url": hook.url, "events": hook.event_list,
                             "active": hook.active, "version": hook.version})
    if form.validate_on_submit():
        try:
            services.update_webhook(current_user, hook, form.version.data,
                                    name=form.name.data, url=form.url.data,
                                    events=form.events.data, active=form.active.data)
        except DomainError as error:
            return _refused(form, error, FORM, hook=hook)
        flash(_("The webhook is saved."), "success")
        return redirect(url_for("webhooks.detail", webhook_id=hook.id))
    return render_form(FORM, form, hook=hook)


@bp.post("/<int:webhook_id>/deactivate")
@require("webhooks.manage")
def deactivate(webhook_id: int):
    """Stop posting to a hook."""
    hook = services.get_webhook(current_user, webhook_id, for_update=True)
    if ActionForm().validate_on_submit():
        services.deactivate_webhook(current_user, hook)
        flash(_("The webhook is deactivated: nothing more is posted to it."), "success")
    return redirect(url_for("webhooks.detail", webhook_id=hook.id))


def _detail(hook: Webhook, secret: str | None = None) -> str:
    return render_template("webhooks/detail.html", hook=hook, secret=secret, events=EVENTS,
                           deliveries=queries.deliveries(hook.id, limit=50),
                           state=delivery_state, action_form=ActionForm(),
                           actions=rules.allowed_actions(current_user, hook))


@bp.get("/<int:webhook_id>")
@require("webhooks.manage")
def detail(webhook_id: int):
    """A hook and its delivery log (each attempt's status code or error, and time)."""
    return _detail(services.get_webhook(current_user, webhook_id))


@bp.post("/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver")
@require("webhooks.manage")
def redeliver(webhook_id: int, delivery_id: int):
    """Send a delivery again at the next run of the webhook outbox."""
    hook = services.get_webhook(current_user, webhook_id)
    delivery = services.get_delivery(current_user, hook, delivery_id)
    if ActionForm().validate_on_submit():
        services.redeliver(current_user, delivery)
        flash(_("The delivery will be posted again within a minute."), "success")
    return redirect(url_for("webhooks.detail", webhook_id=hook.id))


def register(app) -> None:
    """Mount the pages, add the jobs, connect the signal receivers."""
    app.register_blueprint(bp)
    jobs.register(app)
    handlers.connect()
