"""Rate limits per API token (issue 15): API_RATE_LIMIT requests (e.g. "600/minute") for each
token, counted by Flask-Limiter's strategy in its storage (RATELIMIT_STORAGE_URI: memory by
default, Redis when several processes or hosts serve the API).

Checked by compliance.api's authentication, once the token is known: Flask-Limiter's own
request hook runs before it and knows no token."""

from __future__ import annotations

import math

from flask import current_app
from limits import parse

from compliance.core import clock
from compliance.core.extensions import limiter

SCOPE = "api-token"


def retry_after(token_id: int) -> int | None:
    """Count one request of the token; None while within its limit, else the seconds until
    the window lets it in again."""
    setting = current_app.config.get("API_RATE_LIMIT") or ""
    if not setting or not limiter.enabled:
        return None
    item = parse(setting)
    # The installation's prefix keeps several installations on one Redis apart.
    key = (current_app.config.get("RATELIMIT_KEY_PREFIX") or "", SCOPE, str(token_id))
    strategy = limiter.limiter
    if strategy.hit(item, *key):
        return None
    reset_at, _remaining = strategy.get_window_stats(item, *key)
    return max(1, math.ceil(reset_at - clock.host_seconds()))


def check_setting(config) -> None:
    """Refuse to start with an API_RATE_LIMIT Flask-Limiter cannot read (not at a request)."""
    setting = config.get("API_RATE_LIMIT") or ""
    if setting:
        try:
            parse(setting)
        except ValueError as error:
            raise ValueError(f"API_RATE_LIMIT is not a rate limit: {setting!r}") from error
