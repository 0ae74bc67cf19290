"""Webhooks under /api/v1/webhooks, for administrators: list, register (the secret shown
once), read and change (If-Match), a hook's deliveries and sending one again; the services
of the pages."""

from __future__ import annotations

from flask.views import MethodView
from flask_login import current_user
from flask_smorest import Blueprint
from sqlalchemy import select

from compliance.api import BEARER, json_errors, versions
from compliance.api.guards import rules_first
from compliance.api.links import linked, to, to_change
from compliance.api.pages import PageArgs, keyset_page
from compliance.webhooks import queries, rules, services
from compliance.webhooks.models import Webhook, WebhookDelivery
from compliance.webhooks.schemas import (
    DeliverySchema,
    NewWebhookSchema,
    WebhookChange,
    WebhookCreate,
    WebhookSchema,
)

bp = Blueprint("api_webhooks", __name__, url_prefix="/webhooks",
               description="Where the organisation's events are posted (administrators).")
json_errors(bp)
HOOK = "/webhooks/{webhook_id}"


def _managers_only(**_ids) -> None:
    rules.ensure(rules.may_manage_webhooks(current_user))


@bp.route("/")
class Webhooks(MethodView):
    """The organisation's hooks."""

    @rules_first(_managers_only)
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, WebhookSchema(many=True))
    @linked(bp, 200, webhook=to(HOOK, webhook_id="$response.body#/0/id"))
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def get(self, args):
        """List the hooks (cursor pages, `Link` header)."""
        return keyset_page(rules.visible_webhooks(current_user, select(Webhook)), Webhook.id,
                           args)

    @rules_first(_managers_only)
    @bp.arguments(WebhookCreate)
    @bp.response(201, NewWebhookSchema, headers=versions.ETAG_HEADER)
    @linked(bp, 201, webhook=to(HOOK, webhook_id="$response.body#/id"),
            change=to_change(HOOK, "patch", webhook_id="$response.body#/id"))
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.doc(security=BEARER)
    def post(self, new: dict):
        """Register a hook; the answer carries its signing secret, shown this once. A URL
        the guard refuses (loopback, link-local, private, this instance) is a 422
        `url_refused` at the `url` field."""
        hook, secret = services.create_webhook(current_user, **new)
        shown = {name: getattr(hook, name) for name in (
            "id", "name", "url", "event_list", "active", "created_at", "updated_at")}
        shown["secret"] = secret
        return shown, 201, {"ETag": versions.etag_of(hook)}


@bp.route("/<int:webhook_id>")
class WebhookOne(MethodView):
    """One hook: read it, change it (If-Match)."""

    @rules_first(_managers_only)
    @versions.read_one(bp, WebhookSchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @linked(bp, 200, change=to_change(HOOK, "patch", webhook_id="$request.path.webhook_id"))
    def get(self, webhook_id: int):
        """Read one hook, with its ETag."""
        return versions.with_etag(services.get_webhook(current_user, webhook_id))

    @rules_first(_managers_only)
    @bp.arguments(WebhookChange)
    @versions.write_one(bp, WebhookSchema)
    def patch(self, change: dict, webhook_id: int):
        """Change a hook (the fields sent; the rest stays); `active: false` deactivates."""
        hook = services.get_webhook(current_user, webhook_id, for_update=True)
        expected = versions.require_match(hook)
        services.update_webhook(current_user, hook, expected, **change)
        return versions.with_etag(hook)


@bp.route("/<int:webhook_id>/deliveries/")
class Deliveries(MethodView):
    """A hook's deliveries, each with its attempts."""

    @rules_first(_managers_only)
    @bp.arguments(PageArgs, location="query")
    @bp.response(200, DeliverySchema(many=True))
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def get(self, args, webhook_id: int):
        """List the hook's deliveries, oldest first (cursor pages, `Link` header)."""
        hook = services.get_webhook(current_user, webhook_id)
        return keyset_page(queries.deliveries_of(hook.id), WebhookDelivery.id, args)


@bp.route("/<int:webhook_id>/deliveries/<int:delivery_id>/redeliver")
class Redeliver(MethodView):
    """Sending a delivery again."""

    @rules_first(_managers_only)
    @bp.response(200, DeliverySchema)
    @bp.alt_response(403, response="FORBIDDEN")
    @bp.alt_response(404, response="NOT_FOUND")
    @bp.doc(security=BEARER)
    def post(self, webhook_id: int, delivery_id: int):
        """Post the delivery again at the next run of the webhook outbox (within a minute),
        with a fresh budget of attempts."""
        hook = services.get_webhook(current_user, webhook_id)
        return services.redeliver(current_user, services.get_delivery(current_user, hook,
                                                                      delivery_id))
