"""The verbs of webhooks: register, change, deactivate a hook, send a delivery again, and
raise an event (a delivery per hook that wants it, in the caller's unit of work)."""

from __future__ import annotations

import json
import uuid

from flask_babel import gettext as _
from sqlalchemy import select

from compliance.audit_trail.services import record
from compliance.core import clock
from compliance.core.db import check_version, insert_ignoring_duplicates
from compliance.core.errors import DomainError, NotFound
from compliance.core.extensions import db
from compliance.webhooks import guard, rules, sealing
from compliance.webhooks.labels import EVENTS
from compliance.webhooks.models import Webhook, WebhookDelivery

STALE = "Someone else changed this webhook since you opened it."


def _clean(name: str, url: str, events) -> tuple[str, str, str]:
    name, url = (name or "").strip(), (url or "").strip()
    if not name:
        raise DomainError(_("Give the webhook a name."), field="name")
    if len(url) > 500:
        raise DomainError(_("The URL is too long."), status=422, field="url")
    wanted = [event for event in EVENTS if event in set(events or ())]
    if not wanted or len(wanted) != len(set(events)):
        raise DomainError(_("Choose at least one event, among those listed."), status=422,
                          field="events")
    guard.check(url)  # refused here; checked again before each attempt
    return name[:200], url, " ".join(wanted)


def create_webhook(actor, *, name: str, url: str, events, active: bool = True):
    """Register a hook; returns it and its signing secret (shown this once)."""
    rules.ensure(rules.may_manage_webhooks(actor))
    name, url, wanted = _clean(name, url, events)
    secret = sealing.new_secret()
    hook = Webhook(organisation_id=actor.organisation_id, name=name, url=url, events=wanted,
                   active=bool(active), secret_box=sealing.seal(secret),
                   created_by_id=actor.id)
    db.session.add(hook)
    db.session.flush()
    record(actor, "webhook.create", "webhook", hook.id, after=hook.snapshot())
    return hook, secret


def update_webhook(actor, hook: Webhook, expected_version: int | None, **change) -> Webhook:
    """Change a hook's name, URL, events or active flag (a stale version is refused)."""
    rules.ensure("edit" in rules.allowed_actions(actor, hook))
    check_version(hook, expected_version, _(STALE))
    name, url, wanted = _clean(change.get("name", hook.name), change.get("url", hook.url),
                               change.get("events", hook.event_list))
    before = hook.snapshot()
    hook.name, hook.url, hook.events = name, url, wanted
    hook.active = bool(change.get("active", hook.active))
    db.session.flush()
    record(actor, "webhook.update", "webhook", hook.id, before=before, after=hook.snapshot())
    return hook


def deactivate_webhook(actor, hook: Webhook) -> Webhook:
    """Stop posting to a hook (its deliveries wait; nothing more is raised for it)."""
    rules.ensure("deactivate" in rules.allowed_actions(actor, hook))
    before = hook.snapshot()
    hook.active = False
    db.session.flush()
    record(actor, "webhook.deactivate", "webhook", hook.id, before=before,
           after=hook.snapshot())
    return hook


def get_webhook(actor, webhook_id: int, for_update: bool = False) -> Webhook:
    """A hook the actor may see, else 404."""
    stmt = rules.visible_webhooks(actor, select(Webhook).where(Webhook.id == webhook_id))
    hook = db.session.scalar(stmt.with_for_update(of=Webhook) if for_update else stmt)
    if hook is None:
        raise NotFound(_("No such webhook."))
    return hook


def get_delivery(actor, hook: Webhook, delivery_id: int) -> WebhookDelivery:
    """One of the hook's deliveries, else 404."""
    found = db.session.scalar(rules.visible_deliveries(actor, select(WebhookDelivery).where(
        WebhookDelivery.id == delivery_id, WebhookDelivery.webhook_id == hook.id)))
    if found is None:
        raise NotFound(_("No such delivery."))
    return found


def redeliver(actor, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (whatever its state) at the next run of the webhook outbox,
    with a fresh budget of attempts; its earlier attempts stay in its log."""
    rules.ensure("redeliver" in rules.allowed_actions(actor, delivery.webhook))
    before = {"status": delivery.status, "attempts": delivery.attempts,
              "event_id": delivery.event_id}
    delivery.status, delivery.attempts = "waiting", 0
    delivery.next_attempt_at = clock.utcnow()
    db.session.flush()
    record(actor, "webhook.redeliver", "webhook", delivery.webhook_id, before=before,
           after={"status": "waiting", "attempts": 0, "event_id": delivery.event_id,
                  "delivery_id": delivery.id})
    return delivery


def hooks_wanting(organisation_id: int, event: str) -> list[Webhook]:
    """The organisation's active hooks that want the event."""
    hooks = db.session.scalars(select(Webhook).where(
        Webhook.organisation_id == organisation_id, Webhook.active.is_(True))).all()
    return [hook for hook in hooks if event in hook.event_list]


def raise_event(organisation_id: int, event: str, key: str, data: dict,
                hooks: list[Webhook] | None = None) -> int:
    """Queue the event for each active hook of the organisation that wants it (or for the
    `hooks` given, found by hooks_wanting), in the caller's transaction: a rolled-back
    change sends nothing. Returns how many deliveries were queued."""
    wanted = hooks_wanting(organisation_id, event) if hooks is None else hooks
    if not wanted:
        return 0
    now = clock.utcnow()
    rows = []
    for hook in wanted:
        event_id = str(uuid.uuid4())
        body = json.dumps({"id": event_id, "event": event, "created_at": now.isoformat(),
                           "organisation_id": organisation_id, "data": data},
                          ensure_ascii=False, sort_keys=True, default=str)
        rows.append({"webhook_id": hook.id, "organisation_id": organisation_id,
                     "event": event, "event_id": event_id, "dedupe_key": key[:200],
                     "body": body, "status": "waiting", "attempts": 0,
                     "next_attempt_at": now, "created_at": now})
    return len(insert_ignoring_duplicates(db.session, WebhookDelivery, rows,
                                          ["webhook_id", "dedupe_key"]))
