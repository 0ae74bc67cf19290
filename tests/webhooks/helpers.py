"""A real HTTP receiver on 127.0.0.1 for webhook tests, and the rows the walks name."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import SimpleNamespace

from compliance.auth.models import User
from compliance.core import clock
from compliance.core.db import write_intent
from compliance.core.extensions import db
from compliance.webhooks import services
from compliance.webhooks.models import Webhook, WebhookDelivery


class Receiver:
    """A small threading http.server: records each post, answers the statuses queued (then
    200), and checks each signature against the secret it is given, as docs/api.md does."""

    def __init__(self):
        self.posts: list[SimpleNamespace] = []
        self.statuses: list[int] = []
        self.secret = ""
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 - http.server's name
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.posts.append(SimpleNamespace(
                    path=self.path, headers=dict(self.headers), body=body,
                    verified=receiver.verify(self.headers.get("Compliance-Signature", ""),
                                             body)))
                self.send_response(receiver.statuses.pop(0) if receiver.statuses else 200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                """Quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hooks/in"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def verify(self, header: str, body: bytes) -> bool:
        """The receiver's check: a recent timestamp and the HMAC of `t.body`."""
        parts = dict(p.split("=", 1) for p in header.split(",") if "=" in p)
        stamp = int(parts.get("t", "0"))
        if abs(clock.utcnow().timestamp() - stamp) > 300:
            return False
        expected = hmac.new(self.secret.encode(), f"{stamp}.".encode() + body,
                            hashlib.sha256).hexdigest()
        return hmac.compare_digest(expected, parts.get("v1", ""))

    def json(self, index: int = -1) -> dict:
        """The body of a post, read."""
        return json.loads(self.posts[index].body)


def hook_for(app, admin_id: int, url: str = "https://hooks.example.com/in",
             events=("revision.in_force",)) -> tuple[int, str]:
    """A hook of the admin's organisation, through the service; (its id, its secret)."""
    with app.app_context(), write_intent():
        hook, secret = services.create_webhook(db.session.get(User, admin_id), name="Cổng",
                                               url=url, events=list(events))
        db.session.commit()
        return hook.id, secret


def webhook_target(app, make, endpoint: str) -> SimpleNamespace:
    """A hook (allow-listed host) with one delivery, for the routes that name them."""
    if not endpoint.split(".")[0].startswith(("webhooks", "api_webhooks")):
        return SimpleNamespace()
    admin = make.user(roles=["admin"])
    webhook_id, _secret = hook_for(app, admin.id)
    with app.app_context(), write_intent():
        hook = db.session.get(Webhook, webhook_id)
        services.raise_event(hook.organisation_id, "revision.in_force", "walk:1", {"x": 1})
        db.session.commit()
        delivery_id = db.session.scalar(db.select(WebhookDelivery.id).where(
            WebhookDelivery.webhook_id == webhook_id))
        version = hook.version
    return SimpleNamespace(webhook_id=webhook_id, delivery_id=delivery_id,
                           webhook_version=version)
